export { Sandbox, op, s, AwsError } from '../../../src/engine';
export { defineService as defineServiceForTest } from '../../../src/engine/service';
