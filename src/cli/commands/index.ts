/** Registers every command the shell knows. Each module calls registerCommand when imported. */
import './echo';
import '../sandbox/command';
import '../aws/main';
import '../sandbox/lessons';
