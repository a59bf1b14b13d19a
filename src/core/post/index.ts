// Post-processing: what the model wrote -> what the user is shown.
export { postProcess, type PostOptions } from './postProcess';
export { removeThink, hasThink } from './think';
export { cutAtBlockEnd, blockStyle, indentWidth, type BlockStyle } from './blockEnd';
export { trimLineOverlap, trimLinesOverlap } from './overlap';
