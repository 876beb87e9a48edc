// A stand-in for the Tauri shell, installed in the page before the app loads (see harness.ts):
// `window.__TAURI_INTERNALS__` answers the commands from a scenario (fixtures.ts) and records
// every call in `window.__mock.calls`. Plain JavaScript read as text, so nothing transforms it.
function installTauriMock(scenario) {
  const calls = [];
  const cspViolations = [];
  window.__mock = { calls, cspViolations };

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
      default:
        return { reject: `command ${cmd} not found` };
    }
  }

  let nextCallbackId = 1;
  window.__TAURI_INTERNALS__ = {
    metadata: {
      currentWindow: { label: 'main' },
      currentWebview: { windowLabel: 'main', label: 'main' },
    },
    transformCallback(callback, once) {
      const id = nextCallbackId++;
      window[`_${id}`] = (response) => {
        if (once) delete window[`_${id}`];
        if (callback) callback(response);
      };
      return id;
    },
    unregisterCallback(id) {
      delete window[`_${id}`];
    },
    convertFileSrc(path) {
      return path;
    },
    async invoke(cmd, args = {}) {
      calls.push({ cmd, args: JSON.parse(JSON.stringify(args)), at: performance.now() });
      const reply = replyFor(cmd, args);
      const delay = (scenario.delays && scenario.delays[cmd]) || 0;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      if ('ok' in reply) return structuredClone(reply.ok);
      if ('err' in reply) throw structuredClone(reply.err);
      if ('reject' in reply) throw reply.reject;
      throw new Error(reply.throw);
    },
  };
}
