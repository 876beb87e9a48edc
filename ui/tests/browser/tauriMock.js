// A stand-in for the Tauri shell, installed in the page before the app loads (see harness.ts):
// `window.__TAURI_INTERNALS__` answers the commands from a scenario (fixtures.ts) and records
// every call in `window.__mock.calls`. Plain JavaScript read as text, so nothing transforms it.
//
// Channels work as in Tauri's own IPC script (tauri/scripts/core.js): `new Channel()` registers a
// callback with `transformCallback` and serialises as `__CHANNEL__:<id>`; the shell sends each
// message by calling `runCallback(id, { message, index })`, `index` counting up from 0 per
// channel. `window.__mock.send(cmd, message)` plays the shell's part for the channel last passed
// to `cmd`.
function installTauriMock(scenario) {
  const calls = [];
  const cspViolations = [];
  // The channel id each command was last given, and how many messages each channel has had.
  const channelOf = new Map();
  const sent = new Map();

  function send(cmd, message) {
    const id = channelOf.get(cmd);
    if (id === undefined) return false;
    const index = sent.get(id) ?? 0;
    sent.set(id, index + 1);
    window.__TAURI_INTERNALS__.runCallback(id, { message: structuredClone(message), index });
    return true;
  }

  // When each data-testid first appeared (performance.now()), so timing tests measure from the
  // page's own clock instead of from when the test got to look.
  const firstSeen = {};
  new MutationObserver(() => {
    for (const element of document.querySelectorAll('[data-testid]')) {
      const id = element.getAttribute('data-testid');
      if (!(id in firstSeen)) firstSeen[id] = performance.now();
    }
  }).observe(document, { childList: true, subtree: true });

  window.__mock = { calls, cspViolations, send, firstSeen };

  document.addEventListener('securitypolicyviolation', (event) => {
    cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
  });

  // The command-line spelling of a target, as the core prints it.
  function specOf(target) {
    switch (target.kind) {
      case 'worktree':
      case 'staged':
        return target.kind;
      case 'commit':
        return target.rev;
      case 'branch':
        return `branch:${target.name}`;
      case 'range':
        return `${target.base}${target.symmetric ? '...' : '..'}${target.head}`;
      default:
        return JSON.stringify(target);
    }
  }

  // A list of replies answers one call each, in turn; its last reply repeats.
  function next(replies) {
    if (!Array.isArray(replies)) return replies;
    return replies.length > 1 ? replies.shift() : replies[0];
  }

  function replyFor(cmd, args) {
    switch (cmd) {
      case 'app_context':
        return next(scenario.appContext);
      case 'list_targets':
        return next(scenario.listTargets);
      case 'open_review': {
        const spec = specOf(args.target);
        const replies = scenario.openReview[spec];
        return replies ? next(replies) : { err: { kind: 'unknownRevision', message: `no fixture for ${spec}` } };
      }
      case 'file_diff': {
        const replies = scenario.fileDiff && scenario.fileDiff[args.file];
        return replies ? next(replies) : { err: { kind: 'fileNotInTarget', message: `no fixture for ${args.file}` } };
      }
      case 'file_structure': {
        const replies = scenario.fileStructure && scenario.fileStructure[args.file];
        return replies ? next(replies) : { err: { kind: 'fileNotInTarget', message: `no structure fixture for ${args.file}` } };
      }
      case 'highlight': {
        const replies = scenario.highlight && scenario.highlight[args.blobId];
        return replies ? next(replies) : { ok: { spans: [], notParsed: null } };
      }
      case 'authorship': {
        const replies = scenario.authorship && scenario.authorship[specOf(args.target)];
        return replies ? next(replies) : { ok: [] };
      }
      case 'provenance':
        return scenario.provenance ? next(scenario.provenance) : { err: { kind: 'internal', message: 'no provenance fixture' } };
      case 'target_agents':
        return scenario.targetAgents ? next(scenario.targetAgents) : { err: { kind: 'internal', message: 'no target agents fixture' } };
      case 'watch_repository':
        return scenario.watchRepository ? next(scenario.watchRepository) : { ok: null };
      case 'unwatch_repository':
        return { ok: null };
      default:
        return { reject: `command ${cmd} not found` };
    }
  }

  const callbacks = new Map();
  let nextCallbackId = 1;
  window.__TAURI_INTERNALS__ = {
    metadata: {
      currentWindow: { label: 'main' },
      currentWebview: { windowLabel: 'main', label: 'main' },
    },
    transformCallback(callback, once) {
      const id = nextCallbackId++;
      callbacks.set(id, (data) => {
        if (once) callbacks.delete(id);
        if (callback) callback(data);
      });
      return id;
    },
    unregisterCallback(id) {
      callbacks.delete(id);
    },
    runCallback(id, data) {
      const callback = callbacks.get(id);
      if (callback) callback(data);
      else console.warn(`[TAURI] Couldn't find callback id ${id}.`);
    },
    convertFileSrc(path) {
      return path;
    },
    async invoke(cmd, args = {}) {
      // As over the real IPC: a Channel argument arrives as its `__CHANNEL__:<id>` string.
      const sentArgs = JSON.parse(JSON.stringify(args));
      calls.push({ cmd, args: sentArgs, at: performance.now() });
      for (const value of Object.values(sentArgs)) {
        if (typeof value === 'string' && value.startsWith('__CHANNEL__:')) channelOf.set(cmd, Number(value.slice(12)));
      }
      const reply = replyFor(cmd, args);
      // A delay for one file, blob or authorship target (`file_structure:src/a.rs`,
      // `authorship:HEAD`) wins over one for the command.
      const subject = args.file ?? args.blobId ?? (cmd === 'authorship' ? specOf(args.target) : undefined);
      const delays = scenario.delays || {};
      const delay = (subject !== undefined && delays[`${cmd}:${subject}`]) || delays[cmd] || 0;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      if ('ok' in reply) return structuredClone(reply.ok);
      if ('err' in reply) throw structuredClone(reply.err);
      if ('reject' in reply) throw reply.reject;
      throw new Error(reply.throw);
    },
  };
}
