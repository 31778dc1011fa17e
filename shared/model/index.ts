export * from './types.ts';
export * from './cells.ts';
export * from './declarationDoc.ts';
