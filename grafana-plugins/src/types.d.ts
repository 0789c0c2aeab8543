declare module 'amd-module' {
  const meta: { uri?: string } | undefined;
  export default meta;
}

declare module '*.svg' {
  const url: string;
  export default url;
}

declare module '*.css';
