import type { Rule } from 'eslint';
export declare const LAYERS: Record<string, { may: string[]; packages?: string[]; noNodeBuiltins?: boolean; noPackages?: string[] }>;
export declare const layersRule: Rule.RuleModule;
declare const plugin: { rules: { layers: Rule.RuleModule } };
export default plugin;
