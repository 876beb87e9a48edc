#!/usr/bin/env bash
# scripts/measure-start.sh [--runs N] [APP]: cold start and idle memory of the Redline window on
# the demo repository, on a virtual display of its own (Xvfb, 1280x800, like the window).
#
# APP defaults to the release build ($CARGO_TARGET_DIR/release/redline-desktop); the `redline`
# CLI beside it builds the demo (so /usr/bin/redline-desktop measures the installed package).
# Each run starts the app as a first-time user would: a new HOME (no WebKit cache, no Redline
# data), a new demo repository, no git configuration. Per run it prints:
#   window   process spawn -> the first frame that differs from the empty screen (the window
#            mapped, its background painted)
#   text     process spawn -> the first frame with text on it (more than 64 colours): the
#            app's loading screen (its header and status bar)
#   ready    process spawn -> the first frame of the settled screen: the review of the demo
#            drawn (text in the file list and in the diff), after which nothing larger than
#            24x24 px changes for 1.5 s (the LIVE badge pulses for ever). This is the
#            "interactive" figure: the UI draws the review only once its script has run and
#            has the data, so the window answers input from that frame on.
#   rss      idle memory: the sum of VmRSS over the app and every process under it (WebKit's
#            web and network processes), read from /proc once it has settled (changes under
#            1 MB over 2 s). RSS counts a shared library once per process that maps it (WebKit's
#            are in all three; Mesa's LLVM, for software GL under Xvfb, in two), so also: pss, the
#            same sum with shared pages split between their users, and uss, the pages private
#            to these processes (what quitting the app would free).
# then the medians. The screen is read with XGetImage through ctypes every 10 ms (not
# ImageMagick's import, which takes 100-200 ms a frame here), so figures are within ~15 ms.
# The settled screen of each run is kept in test-results/measure-start-N.png. The app gets this
# script's environment (but HOME, XDG_*), so e.g. WEBKIT_DISABLE_DMABUF_RENDERER=1 can be tried.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

runs=3
app=$CARGO_TARGET_DIR/release/redline-desktop
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    -h | --help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) app=$1; shift ;;
  esac
done
app=$(realpath "$app")
cli=$(dirname "$app")/redline
[ -x "$app" ] || { echo "error: no app at $app (build it with ./x package)" >&2; exit 1; }
[ -x "$cli" ] || { echo "error: no redline CLI beside $app" >&2; exit 1; }

# A display of our own, so nothing else on the screen counts as the app's.
if [ -z "${REDLINE_MEASURE_XVFB:-}" ]; then
  exec env REDLINE_MEASURE_XVFB=1 xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
    "$0" --runs "$runs" "$app"
fi

mkdir -p "$REDLINE_ROOT/test-results"
python3 - "$app" "$cli" "$runs" "$REDLINE_ROOT/test-results" <<'PY'
import ctypes, os, shutil, signal, statistics, subprocess, sys, tempfile, time, zlib

app, cli, runs, results = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]

class XImage(ctypes.Structure):
    _fields_ = [("width", ctypes.c_int), ("height", ctypes.c_int), ("xoffset", ctypes.c_int),
                ("format", ctypes.c_int), ("data", ctypes.c_void_p), ("byte_order", ctypes.c_int),
                ("bitmap_unit", ctypes.c_int), ("bitmap_bit_order", ctypes.c_int),
                ("bitmap_pad", ctypes.c_int), ("depth", ctypes.c_int),
                ("bytes_per_line", ctypes.c_int), ("bits_per_pixel", ctypes.c_int)]

x11 = ctypes.CDLL("libX11.so.6")
x11.XOpenDisplay.restype = ctypes.c_void_p
x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
x11.XDefaultRootWindow.restype = ctypes.c_ulong
x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
x11.XDisplayWidth.argtypes = x11.XDisplayHeight.argtypes = [ctypes.c_void_p, ctypes.c_int]
x11.XGetImage.restype = ctypes.POINTER(XImage)
x11.XGetImage.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int,
                          ctypes.c_uint, ctypes.c_uint, ctypes.c_ulong, ctypes.c_int]
x11.XDestroyImage.argtypes = [ctypes.POINTER(XImage)]
display = x11.XOpenDisplay(None)
if not display:
    sys.exit("error: cannot open the display")
root = x11.XDefaultRootWindow(display)
width, height = x11.XDisplayWidth(display, 0), x11.XDisplayHeight(display, 0)

def grab():
    image = x11.XGetImage(display, root, 0, 0, width, height, 0xFFFFFFFF, 2)  # ZPixmap
    data = ctypes.string_at(image.contents.data, image.contents.bytes_per_line * height)
    x11.XDestroyImage(image)
    return data

def save(data, path):
    """Writes a 32-bit ZPixmap (BGRx) frame as PNG through ImageMagick."""
    subprocess.run(["convert", "-size", f"{width}x{height}", "-depth", "8", "bgra:-",
                    "-alpha", "off", path], input=data, check=True)

def rows(data):
    """A checksum per row of pixels."""
    stride = len(data) // height
    return [zlib.crc32(data[y * stride:(y + 1) * stride]) for y in range(height)]

def first_difference(a, b):
    """The first index where bytes a and b differ (they do), by bisection."""
    lo, hi = 0, len(a)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid
    return lo

def large_change(before, after, before_rows, after_rows):
    """Whether more than a 24x24 px box changed: a pulsing badge, a spinner or a caret does not."""
    changed = [y for y in range(height) if before_rows[y] != after_rows[y]]
    if before is None or changed[-1] - changed[0] >= 24:
        return True
    stride = len(after) // height
    left, right = width, 0
    for y in changed:
        a, b = before[y * stride:(y + 1) * stride], after[y * stride:(y + 1) * stride]
        left = min(left, first_difference(a, b) // 4)
        right = max(right, (stride - 1 - first_difference(a[::-1], b[::-1])) // 4)
    return right - left >= 24

def colours(data, crop=None):
    """How many colours the frame (or the crop "WxH+X+Y" of it) has: a blank area has one."""
    out = subprocess.run(["convert", "-size", f"{width}x{height}", "-depth", "8", "bgra:-",
                          "-alpha", "off", *(["-crop", crop] if crop else []), "-format", "%k",
                          "info:"], input=data, capture_output=True, check=True)
    return int(out.stdout)

def review_drawn(data):
    """Whether the review is on screen: text in the file list (the left quarter) and in the
    diff (the rest), between the header and the status bar. The loading screen has neither."""
    side = width // 4
    body = height - 140
    return (colours(data, f"{side}x{body}+0+70") > 100 and
            colours(data, f"{width - side}x{body}+{side}+70") > 100)

def tree(pid):
    """pid and every process under it, from /proc."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat").read()
            except OSError:
                continue
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    found, queue = [pid], [pid]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found

def field_kb(path, name):
    try:
        for line in open(path):
            if line.startswith(name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0

def memory(pid):
    pids = tree(pid)
    rss = sum(field_kb(f"/proc/{p}/status", "VmRSS") for p in pids)
    pss = sum(field_kb(f"/proc/{p}/smaps_rollup", "Pss") for p in pids)
    uss = sum(field_kb(f"/proc/{p}/smaps_rollup", "Private_Clean") +
              field_kb(f"/proc/{p}/smaps_rollup", "Private_Dirty") for p in pids)
    names = []
    for p in pids:
        try:
            names.append(f"{open(f'/proc/{p}/comm').read().strip()} "
                         f"{field_kb(f'/proc/{p}/status', 'VmRSS') / 1024:.0f}")
        except OSError:
            pass
    return rss / 1024, pss / 1024, uss / 1024, names

def one_run(n):
    scratch = tempfile.mkdtemp(prefix="redline-measure-")
    try:
        home = os.path.join(scratch, "home")
        os.mkdir(home)
        env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
        env.update(HOME=home, GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1",
                   REDLINE_DATA_DIR=os.path.join(scratch, "data"))
        demo = os.path.join(scratch, "demo")
        subprocess.run([cli, "demo", demo], env=env, check=True, capture_output=True)
        empty = rows(grab())
        log = open(os.path.join(scratch, "app.log"), "w")
        t0 = time.monotonic()
        proc = subprocess.Popen([app, demo], env=env, cwd=scratch, stdout=log, stderr=subprocess.STDOUT)
        frames = []  # (seconds since spawn, frame) for every frame with a large change
        last_data, last_rows = None, empty
        checked = {}  # frame count -> whether the last frame showed the review
        try:
            while True:
                data = grab()
                t = time.monotonic() - t0
                now = rows(data)
                if now != last_rows:
                    if large_change(last_data, data, last_rows, now):
                        frames.append((t, data))
                    last_data, last_rows = data, now
                if frames and t - frames[-1][0] >= 1.5:
                    if len(frames) not in checked:  # the loading screen can stay a while
                        checked[len(frames)] = review_drawn(frames[-1][1])
                    if checked[len(frames)]:
                        settled = frames[-1]
                        break
                if proc.poll() is not None:
                    raise SystemExit(f"error: the app exited with {proc.returncode}")
                if t > 30:
                    raise SystemExit(f"error: the screen did not settle within 30 s ({len(frames)} frames)")
                time.sleep(0.01)
            window = frames[0][0]
            text = next(t for t, d in frames if colours(d) > 64)
            ready = settled[0]
            save(settled[1], os.path.join(results, f"measure-start-{n}.png"))
            # Idle memory: sample until the sum moves less than 1 MB over 2 s (deadline 20 s).
            samples = []
            start = time.monotonic()
            while True:
                samples.append((time.monotonic(), memory(proc.pid)))
                recent = [m for s, m in samples if s >= samples[-1][0] - 2]
                if samples[-1][0] - start >= 2 and max(m[0] for m in recent) - min(m[0] for m in recent) < 1:
                    break
                if time.monotonic() - start > 20:
                    break
                time.sleep(0.25)
            rss, pss, uss, names = samples[-1][1]
            return dict(window=window, text=text, ready=ready, frames=len(frames),
                        rss=rss, pss=pss, uss=uss, procs=names)
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

print(f"app: {app}")
print(f"screen {width}x{height}; load average before: {open('/proc/loadavg').read().split()[0]} "
      f"on {os.cpu_count()} CPUs")
measured = []
for n in range(1, runs + 1):
    r = one_run(n)
    measured.append(r)
    print(f"run {n}: window {r['window']*1000:5.0f} ms  text {r['text']*1000:5.0f} ms  "
          f"ready {r['ready']*1000:5.0f} ms  ({r['frames']} frames)  "
          f"rss {r['rss']:5.1f} MB  pss {r['pss']:5.1f} MB  uss {r['uss']:5.1f} MB  (rss MB: {', '.join(r['procs'])})", flush=True)
med = lambda key: statistics.median(r[key] for r in measured)
print(f"median of {runs}: window {med('window')*1000:.0f} ms, text {med('text')*1000:.0f} ms, "
      f"ready (interactive) {med('ready')*1000:.0f} ms; idle memory rss {med('rss'):.1f} MB, "
      f"pss {med('pss'):.1f} MB, uss {med('uss'):.1f} MB")
PY
