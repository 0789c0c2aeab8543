// monaco-promql imports `languages` from monaco-editor for one enum value (CompletionItemKind.Keyword);
// Grafana's code editor loads Monaco itself (@grafana/ui's CodeEditor), so the whole editor is not
// bundled a second time for it. The value is Monaco's (monaco.languages.CompletionItemKind.Keyword).
export const languages = { CompletionItemKind: { Keyword: 17 } };
