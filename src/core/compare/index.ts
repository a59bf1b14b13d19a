// Model comparison: replay cases (recorded traffic or workspace samples) against several
// profiles, score quality against the ground truth, aggregate into a report.
export * from './cases';
export * from './lengthClasses';
export * from './parseCheck';
export * from './publishedTable';
export * from './quality';
export * from './report';
export { qualityGaps, type QualityGap } from './reportSections';
export * from './runner';
export * from './timeline';
