/** Registers the ECS task definition file type with the editor (schema, live validation, Register, snippets). */
import { registerFileType } from './file-types';
import { taskDefinitionFileType } from './task-definition';

registerFileType(taskDefinitionFileType);
