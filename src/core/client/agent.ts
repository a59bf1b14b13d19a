// One keep-alive Agent per endpoint origin, reused across requests, so TCP (and TLS)
// setup is paid once and not inside every completion's TTFT.
import * as http from 'node:http';
import * as https from 'node:https';

const agents = new Map<string, http.Agent>();

export function agentFor(url: URL): http.Agent {
  const key = `${url.protocol}//${url.host}`;
  let agent = agents.get(key);
  if (!agent) {
    // maxSockets unbounded: concurrent completions (comparison runs) must not queue here,
    // or the queueing would be counted as server TTFT.
    const options: http.AgentOptions = { keepAlive: true, keepAliveMsecs: 1000 };
    agent = url.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
    agents.set(key, agent);
  }
  return agent;
}

export function transportFor(url: URL): typeof http | typeof https {
  return url.protocol === 'https:' ? https : http;
}

/** Closes every pooled connection (for shutdown and tests that want no open handles). */
export function destroyAgents(): void {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}
