/// <reference types="svelte" />
/// <reference types="vite/client" />
/// <reference types="vite-plugin-pwa/client" />
declare module '*?worker' {
  const WorkerCtor: { new (): Worker };
  export default WorkerCtor;
}
