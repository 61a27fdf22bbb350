// Relais web chat: posts what the person types or taps, fetches the delivered replies when the
// event stream says there is something new (polls every second only without a stream).
// Text is only ever inserted with textContent, never as HTML.
const STORAGE_KEY = 'relais.session';
// the profile the session wrote as when last read: when it changes (a shared handset, "I am
// someone else"), the page asks for a new session so the old id reads nothing any more
const PROFILE_KEY = 'relais.profile';
const log = document.getElementById('log');
const form = document.getElementById('composer');
const input = document.getElementById('text');
const statusBar = document.getElementById('status');
const locationButton = document.getElementById('share-location');
const announcer = document.getElementById('announce');
const resetButton = document.getElementById('reset');
const sendButton = document.getElementById('send');
// the page's own words, in the person's language once known (GET /chat/api/words)
let words = {};
let wordsLanguage = '';
async function speak(language) {
  const base = (language || '').toLowerCase().split(/[-_]/)[0];
  if (!base || base === wordsLanguage) return;
  wordsLanguage = base;
  try {
    const response = await fetch(`/chat/api/words?lng=${encodeURIComponent(base)}`);
    if (!response.ok) return;
    const body = await response.json();
    words = body.words;
    document.documentElement.lang = body.lang;
    document.documentElement.dir = body.dir;
    input.placeholder = words.placeholder;
    input.setAttribute('aria-label', words.message);
    form.setAttribute('aria-label', words.message);
    sendButton.setAttribute('aria-label', words.send);
    log.setAttribute('aria-label', words.conversation);
    resetButton.title = words.new_conversation;
    resetButton.setAttribute('aria-label', words.new_conversation);
    locationButton.title = words.share_location;
    locationButton.setAttribute('aria-label', words.share_location);
  } catch {
    wordsLanguage = '';
  }
}
void speak(navigator.language);
let lastRendered = '';
// the newest message shown so far: a render scrolls to the first one after it
let renderedUpTo = 0;
// what this page has received, by seq: it asks only for what comes after (the server then erases
// a reconnection code it has delivered; the page keeps showing it until reloaded)
const received = new Map();
let lastSeq = 0;
const KEEP = 300;

function randomId(bytes) {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...raw))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function session() {
  let id = localStorage.getItem(STORAGE_KEY);
  if (!id) {
    id = randomId(18);
    localStorage.setItem(STORAGE_KEY, id);
  }
  return id;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// seconds to wait before sending again, from the Retry-After header (or the body), 1 to 120
function retryAfterSeconds(response, body) {
  const header = Number(response.headers.get('retry-after'));
  const seconds = Number.isFinite(header) && header > 0 ? header : Number(body?.retryAfterSeconds) || 5;
  return Math.min(120, Math.max(1, seconds));
}

// Sends one payload; true once Relais has it. A rate limit (429) is waited out and the same
// message sent again (same clientMessageId: never twice), as long as it takes; a network
// failure is retried a few times. The caller keeps what the person typed until then.
async function post(payload) {
  const body = {
    sessionId: session(),
    clientMessageId: randomId(12),
    language: wordsLanguage || navigator.language,
    ...payload,
  };
  for (let attempt = 0; attempt < 5; ) {
    try {
      const response = await fetch('/chat/api/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.status === 202) {
        showStatus('');
        return true;
      }
      if (response.status === 429) {
        const refused = await response.json().catch(() => ({}));
        showStatus(typeof refused.message === 'string' ? refused.message : '⏳');
        await sleep(retryAfterSeconds(response, refused) * 1000);
        continue;
      }
      if (response.status < 500) {
        showStatus(await refusal(response));
        return false;
      }
    } catch {
      /* offline: retry below with the same clientMessageId, so nothing is sent twice */
    }
    attempt++;
    showStatus(words.sending ?? '…');
    await sleep(1000 * attempt);
  }
  showStatus(words.not_sent ?? '⚠️');
  return false;
}

// a refusal comes with a sentence in the person's language when the server has one
async function refusal(response) {
  try {
    const body = await response.json();
    if (typeof body.message === 'string') return body.message;
  } catch {
    /* not JSON */
  }
  return `⚠️ ${response.status}`;
}

function forgetConversation() {
  lastRendered = '';
  renderedUpTo = 0;
  received.clear();
  lastSeq = 0;
  log.replaceChildren();
}

// the profile changed: take the new session the server gives and start from an empty page
let renewing = null;
async function renewSession() {
  // two polls may notice the change at once: one renewal, both wait for it
  renewing ??= (async () => {
    const response = await fetch('/chat/api/session', { method: 'POST', headers: { 'x-relais-session': session() } });
    if (!response.ok) return false;
    const { sessionId } = await response.json();
    localStorage.setItem(STORAGE_KEY, sessionId);
    forgetConversation();
    // the stream of the old session hears nothing more: listen on the new one
    closeStream();
    return true;
  })()
    .catch(() => false)
    .finally(() => {
      renewing = null;
    });
  return renewing;
}

function showStatus(text) {
  statusBar.textContent = text;
  statusBar.hidden = text === '';
}

function render(messages) {
  const signature = JSON.stringify(messages.map((m) => m.seq));
  if (signature === lastRendered) return;
  lastRendered = signature;
  // a re-render keeps the focus where it was (the same button, if it is still there)
  const focused = document.activeElement;
  const focusKey = focused instanceof HTMLButtonElement && focused.dataset.key ? focused.dataset.key : null;
  log.replaceChildren();
  // only the latest message of Relais has live buttons: older ones are answered already
  const lastRelaisMessage = [...messages].reverse().find((m) => m.from === 'relais');
  const last = messages[messages.length - 1];
  // scroll to the first message this render adds (a reference just given), not the bottom
  const firstNew = messages.find((m) => m.seq > renderedUpTo);
  let firstNewBubble = null;
  for (const m of messages) {
    const bubble = document.createElement('div');
    bubble.className = `msg ${m.from}`;
    bubble.dir = m.rtl ? 'rtl' : 'auto';
    bubble.textContent = m.text;
    if (m.choices) {
      const list = document.createElement('div');
      list.className = 'choices';
      m.choices.forEach((choice, index) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = `${index + 1}. ${choice.label}`;
        button.dataset.key = `${m.seq}:${choice.id}`;
        button.disabled = m !== lastRelaisMessage || last.from === 'person';
        button.addEventListener('click', () => {
          void post({ kind: 'choice', choiceId: choice.id });
        });
        list.append(button);
      });
      bubble.append(list);
    }
    log.append(bubble);
    if (m === firstNew) firstNewBubble = bubble;
  }
  // screen readers hear only what is new from Relais, not the whole log again
  const fresh = messages.filter((m) => m.seq > renderedUpTo && m.from === 'relais').map((m) => m.text);
  if (fresh.length > 0 && renderedUpTo > 0) announcer.textContent = fresh.join('\n');
  renderedUpTo = Math.max(renderedUpTo, ...messages.map((m) => m.seq));
  if (focusKey) {
    const again = [...log.querySelectorAll('button')].find((b) => b.dataset.key === focusKey && !b.disabled);
    if (again) again.focus();
    else if (focused === document.body || !document.contains(focused)) input.focus({ preventScroll: true });
  }
  const lastRelais = [...messages].reverse().find((m) => m.from === 'relais');
  // the page's words set lang and dir; until they come, the direction of Relais' last message
  if (!wordsLanguage || !words.placeholder) document.documentElement.dir = lastRelais?.rtl ? 'rtl' : 'ltr';
  locationButton.hidden = !(lastRelais?.askLocation && 'geolocation' in navigator);
  if (firstNewBubble) firstNewBubble.scrollIntoView({ block: 'start' });
}

async function poll() {
  try {
    const response = await fetch(`/chat/api/messages?after=${lastSeq}`, { headers: { 'x-relais-session': session() } });
    if (!response.ok) return;
    const { messages: fetched, profile, next, language } = await response.json();
    if (language) void speak(language);
    // a known session (its first message has arrived): from now on, replies are announced
    if (profile) openStream();
    if (profile) {
      const known = localStorage.getItem(PROFILE_KEY);
      if (known && known !== profile) {
        // until the new session is taken, show nothing more of this one (retried at the next poll)
        if (!(await renewSession())) return;
        localStorage.setItem(PROFILE_KEY, profile);
        return poll();
      }
      localStorage.setItem(PROFILE_KEY, profile);
    }
    // entries come again from `next` on (a reply delivered late sits below what follows it): by seq, once
    for (const m of fetched) received.set(m.seq, m);
    if (typeof next === 'number') lastSeq = next;
    const messages = [...received.values()].sort((a, b) => a.seq - b.seq);
    for (const m of messages.slice(0, -KEEP)) received.delete(m.seq);
    render(messages.slice(-KEEP));
  } catch {
    /* keep polling */
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text || form.dataset.sending) return;
  // the text stays in the box until Relais has it (a rate limit, a lost connection)
  form.dataset.sending = 'true';
  void post({ kind: 'text', text }).then((sent) => {
    delete form.dataset.sending;
    if (sent && input.value.trim() === text) input.value = '';
    return poll();
  });
});

locationButton.addEventListener('click', () => {
  navigator.geolocation.getCurrentPosition((pos) => {
    void post({ kind: 'location', latitude: pos.coords.latitude, longitude: pos.coords.longitude });
  });
});

input.addEventListener('input', () => {
  if (input.value.length >= 4096) showStatus(words.too_long ?? '✂️ 4096');
  else if (statusBar.textContent === words.too_long) showStatus('');
});

resetButton.addEventListener('click', () => {
  // starting over hides this conversation on this page: ask first
  if (!window.confirm(words.restart_confirm ?? '↻ ?')) return;
  localStorage.removeItem(STORAGE_KEY);
  localStorage.removeItem(PROFILE_KEY);
  forgetConversation();
  void post({ kind: 'start' });
});

// a deep link (`/chat?start=give` for donors) opens its conversation, as `/start give` on Telegram
const startLink = new URLSearchParams(location.search).get('start');
const firstVisit = !localStorage.getItem(STORAGE_KEY);
if (startLink && /^[A-Za-z0-9_-]{1,64}$/.test(startLink)) void post({ kind: 'start', payload: startLink });
else if (firstVisit) void post({ kind: 'start' });

// Server-sent events: "something new" (no content) as soon as a reply can be fetched, then one
// fetch; an idle tab makes no request besides the open stream. Without EventSource, or while
// the stream is refused or down, the page polls: every second, every 15 s while hidden.
let stream = null;
let streaming = false;
let streamRetryAt = 0;
const STREAM_RETRY_MS = 30_000;

function openStream() {
  if (stream || typeof EventSource !== 'function' || Date.now() < streamRetryAt) return;
  const source = new EventSource(`/chat/api/events?session=${encodeURIComponent(session())}`);
  stream = source;
  // `ready`: subscribed, fetch once (a reply may have come while connecting); `update`: a reply
  source.addEventListener('ready', () => {
    streaming = true;
    void poll();
  });
  source.addEventListener('update', () => void poll());
  source.addEventListener('error', () => {
    streaming = false;
    // refused (unknown session, too many streams) or given up: poll, try a stream again later
    if (source.readyState === EventSource.CLOSED) {
      if (stream === source) stream = null;
      streamRetryAt = Date.now() + STREAM_RETRY_MS;
    }
  });
}

function closeStream() {
  stream?.close();
  stream = null;
  streaming = false;
}

let pollTimer = null;
function schedulePoll() {
  clearTimeout(pollTimer);
  pollTimer = setTimeout(
    async () => {
      if (!streaming) await poll();
      schedulePoll();
    },
    document.hidden ? 15_000 : 1000,
  );
}

document.addEventListener('visibilitychange', () => {
  if (!document.hidden && !streaming) void poll();
  schedulePoll();
});

void poll();
schedulePoll();
