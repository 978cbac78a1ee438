/** The document inputs are domain vocabulary (the use cases build them); rendering lives here. */
export * from '../../domain/cases/documents.ts';
