import type { Rule } from 'eslint';
export declare const untranslatedRule: Rule.RuleModule;
declare const plugin: { rules: { 'no-untranslated-text': Rule.RuleModule } };
export default plugin;
