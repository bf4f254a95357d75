// English needs a catalog only for plural forms (the keys are the English sentences themselves).
export const BACKOFFICE_EN: Readonly<Record<string, string>> = {
};
