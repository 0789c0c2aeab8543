// What the HTTP API handlers share: the database, the live agents and sessions, identity.

import type { Logger } from '@nester/common/log/logger';
import type { Pool } from 'pg';
import type { IdentitySource } from '../auth/identity';
import type { FailureThrottle } from '../auth/throttle';
import type { AgentHub } from '../control/agent-hub';
import type { SessionBroker } from '../relay/broker';
import type { ReleaseShelf } from '../releases/shelf';

export interface ApiContext {
  pool: Pool;
  hub: AgentHub;
  broker: SessionBroker;
  identity: IdentitySource;
  enrollThrottle: FailureThrottle;
  /** Base of the URLs handed to browsers, e.g. https://nester.example.com */
  publicUrl: string;
  /** --releases.dir, when given: install.sh and the agent archives. */
  releases?: ReleaseShelf;
  log: Logger;
}
