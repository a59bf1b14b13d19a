// Public surface of the GPU module.
export * from './types';
export * from './nvidiaSmi';
export * from './amdSmi';
export * from './summary';
export * from './sampler';
export { chooseTool, findOnPath, noGpuToolMessage } from './findTool';
