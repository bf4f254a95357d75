// The dependency direction is only as good as the rule that enforces it: these cases prove it bites.
import path from 'node:path';
import { describe, it } from 'vitest';
import { RuleTester } from 'eslint';
import { layersRule } from '../../tools/eslint-layers.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const root = path.resolve(import.meta.dirname, '../..');
const file = (rel: string) => path.join(root, rel);
const options = [{ root }];
const tester = new RuleTester({ languageOptions: { ecmaVersion: 2022, sourceType: 'module' } });

tester.run('layers', layersRule, {
  valid: [
    { filename: file('core/validate.ts'), code: "import { x } from './evaluate-ticket';", options },
    { filename: file('core/voucher.ts'), code: "import { z } from 'zod';", options },
    { filename: file('sync/outbox.ts'), code: "import { x } from '../core/money';", options },
    { filename: file('renderer/app.tsx'), code: "import { x } from '../sync/till';", options },
    { filename: file('renderer/state/a.ts'), code: "import { x } from '../../sync/till'; import { y } from '../../sync/protocol';", options },
    { filename: file('electron/main.ts'), code: "import { app } from 'electron'; import fs from 'node:fs';", options },
    { filename: file('hq/server.ts'), code: "import { x } from '../sync/protocol/push'; import { y } from '../core';", options },
    { filename: file('hq/server.ts'), code: "import { x } from '../sync/protocol';", options },
    // The back office: core's rules and words, the wire protocol, its own files, browser packages.
    { filename: file('backoffice/pages/a.tsx'), code: "import { x } from '../../core/words/voucher-text'; import { y } from '../../sync/protocol'; import { z } from '../api'; import QRCode from 'qrcode';", options },
    { filename: file('test/anything.test.ts'), code: "import { x } from '../hq/server'; import fs from 'node:fs';", options },
    { filename: file('bench/hq.bench.ts'), code: "import { prng } from '../testkit/prng'; import { x } from '../hq/server';", options },
    { filename: file('test/sim/a.test.ts'), code: "import { x } from '../../testkit/sim/model';", options },
  ],
  invalid: [
    { filename: file('core/money.ts'), code: "import { x } from '../sync/outbox';", options, errors: [{ messageId: 'crossLayer' }] },
    { filename: file('core/deep/a.ts'), code: "export { x } from '../../renderer/app';", options, errors: [{ messageId: 'crossLayer' }] },
    { filename: file('core/money.ts'), code: "import fs from 'node:fs';", options, errors: [{ messageId: 'nodeBuiltin' }] },
    { filename: file('core/money.ts'), code: "import path from 'path';", options, errors: [{ messageId: 'nodeBuiltin' }] },
    { filename: file('core/money.ts'), code: "import React from 'react';", options, errors: [{ messageId: 'package' }] },
    { filename: file('core/money.ts'), code: "import { x } from '../test/core/fixtures';", options, errors: [{ messageId: 'crossLayer' }] },
    { filename: file('sync/engine.ts'), code: "import { x } from '../renderer/app';", options, errors: [{ messageId: 'crossLayer' }] },
    { filename: file('renderer/app.tsx'), code: "import { x } from '../hq/server';", options, errors: [{ messageId: 'crossLayer' }] },
    // The renderer uses the till's façade, never the replica or the engine behind it.
    { filename: file('renderer/state/a.ts'), code: "import { x } from '../../sync/replica/db';", options, errors: [{ messageId: 'crossLayer' }] },
    { filename: file('renderer/app.tsx'), code: "import { x } from '../sync/engine/sync-engine';", options, errors: [{ messageId: 'crossLayer' }] },
    { filename: file('renderer/app.tsx'), code: "import { x } from '../sync/till-extra';", options, errors: [{ messageId: 'crossLayer' }] },
    { filename: file('renderer/app.tsx'), code: "import { ipcRenderer } from 'electron';", options, errors: [{ messageId: 'package' }] },
    { filename: file('renderer/app.tsx'), code: "const m = import('node:fs');", options, errors: [{ messageId: 'nodeBuiltin' }] },
    { filename: file('hq/server.ts'), code: "import { x } from '../sync/outbox';", options, errors: [{ messageId: 'crossLayer' }] },
    { filename: file('hq/server.ts'), code: "import { x } from '../sync/protocol-extra';", options, errors: [{ messageId: 'crossLayer' }] },
    { filename: file('hq/server.ts'), code: "import { x } from '../renderer/app';", options, errors: [{ messageId: 'crossLayer' }] },
    // The back office never reaches into HQ, the till's sync engine or its UI, nor Node.
    { filename: file('backoffice/main.tsx'), code: "import { x } from '../hq/server';", options, errors: [{ messageId: 'crossLayer' }] },
    { filename: file('backoffice/main.tsx'), code: "import { x } from '../sync/till';", options, errors: [{ messageId: 'crossLayer' }] },
    { filename: file('backoffice/main.tsx'), code: "import { x } from '../renderer/ui/app';", options, errors: [{ messageId: 'crossLayer' }] },
    { filename: file('backoffice/main.tsx'), code: "import fs from 'node:fs';", options, errors: [{ messageId: 'nodeBuiltin' }] },
    { filename: file('core/a.ts'), code: "import { x } from '../backoffice/api';", options, errors: [{ messageId: 'crossLayer' }] },
    // Benchmarks and scripts share helpers with the tests through testkit/, never test/ itself.
    { filename: file('bench/hq.bench.ts'), code: "import { x } from '../test/hq/helpers';", options, errors: [{ messageId: 'crossLayer' }] },
    { filename: file('scripts/sim.ts'), code: "import { x } from '../test/sim/model';", options, errors: [{ messageId: 'crossLayer' }] },
    { filename: file('testkit/prng.ts'), code: "import { x } from '../renderer/app';", options, errors: [{ messageId: 'crossLayer' }] },
  ],
});
