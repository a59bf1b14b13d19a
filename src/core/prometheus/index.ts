// Public surface of the Prometheus module: a client for Prometheus' HTTP API and a fleet
// metrics source (DCGM GPUs and vLLM replicas) built on it.
export * from './errors';
export * from './client';
export * from './selector';
export * from './dcgm';
export * from './fleetSource';
export * from './watch';
export * from './config';
export * from './scrapes';
export * from './fleetReport';
