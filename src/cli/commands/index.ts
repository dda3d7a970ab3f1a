/** Registers every command the shell knows. Each module calls registerCommand when imported. */
import './echo';
import './files';
import './text';
import './shell';
import './more';
import './jq';
import '../sandbox/command';
import '../aws/main';
import '../aws/s3';
import '../sandbox/s3';
import '../sandbox/access';
import '../sandbox/lessons';
import '../aws/ecs';
import '../sandbox/ecs';
import '../docker';
import '../capacity';
