import { registerCommand } from './registry';

registerCommand({
  name: 'echo',
  summary: 'print its arguments',
  run(ctx, argv) {
    let newline = true;
    let args = argv;
    if (args[0] === '-n') {
      newline = false;
      args = args.slice(1);
    }
    ctx.out(args.join(' ') + (newline ? '\n' : ''));
    return 0;
  },
});
