/**
 * The page the server hands a browser: camera preview, the echoed video,
 * connection state and live getStats numbers. It publishes with a WHIP-style
 * POST to /whip (RFC 9725 shape) and hangs up with DELETE on the Location.
 * `window.webrtcPeer` exposes the peer connection to automation (the tests).
 */
export const PAGE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>webrtc-peer echo</title>
<style>
body{font-family:system-ui,sans-serif;margin:1em;background:#fafafa}
video{width:320px;height:240px;background:#222;margin-right:1em}
#stats{font-family:monospace;white-space:pre}
</style></head>
<body>
<h1>webrtc-peer: your camera, echoed through our SRTP stack</h1>
<div><video id="local" autoplay muted playsinline></video><video id="remote" autoplay playsinline></video></div>
<p>state: <b id="state">idle</b> <button id="start">Start</button> <button id="stop" disabled>Hang up</button></p>
<div id="stats"></div>
<script type="module">
const $ = (id) => document.getElementById(id);
const peer = { pc: undefined, location: undefined, state: 'idle', error: undefined };
window.webrtcPeer = peer;
const show = (s) => { peer.state = s; $('state').textContent = s; };

async function start() {
  $('start').disabled = true;
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: true });
    $('local').srcObject = stream;
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    peer.pc = pc;
    // ?codec=H264 (or VP8) puts that video codec first in the offer (setCodecPreferences).
    const want = new URLSearchParams(location.search).get('codec');
    for (const t of stream.getTracks()) {
      const tr = pc.addTransceiver(t, { direction: 'sendrecv', streams: [stream] });
      if (want && t.kind === 'video' && tr.setCodecPreferences) {
        const codecs = RTCRtpReceiver.getCapabilities('video').codecs;
        const first = codecs.filter((c) => c.mimeType.toLowerCase() === 'video/' + want.toLowerCase());
        tr.setCodecPreferences([...first, ...codecs.filter((c) => !first.includes(c))]);
      }
    }
    pc.ontrack = (e) => { if (e.track.kind === 'video') $('remote').srcObject = new MediaStream([e.track]); };
    pc.onconnectionstatechange = () => show(pc.connectionState);
    await pc.setLocalDescription(await pc.createOffer());
    const res = await fetch('/whip', { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: pc.localDescription.sdp });
    if (res.status !== 201) throw new Error('WHIP ' + res.status + ': ' + (await res.text()));
    peer.location = res.headers.get('location');
    await pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
    $('stop').disabled = false;
  } catch (e) {
    peer.error = String(e); show('error: ' + e);
  }
}

async function stop() {
  if (peer.location) await fetch(peer.location, { method: 'DELETE' });
  peer.pc?.close(); show('closed'); $('stop').disabled = true; $('start').disabled = false;
}

async function stats() {
  if (!peer.pc) return;
  const lines = [];
  (await peer.pc.getStats()).forEach((r) => {
    if (r.type === 'inbound-rtp') lines.push(r.kind + ' in: packets ' + r.packetsReceived + (r.kind === 'video' ? ' frames decoded ' + r.framesDecoded : '') + ' lost ' + r.packetsLost);
    if (r.type === 'outbound-rtp') lines.push(r.kind + ' out: packets ' + r.packetsSent + ' bytes ' + r.bytesSent);
    if (r.type === 'transport') lines.push('dtls ' + r.dtlsState + ' ' + (r.tlsVersion ?? '') + ' ' + (r.dtlsCipher ?? '') + ' ' + (r.srtpCipher ?? ''));
  });
  const server = await fetch('/stats').then((r) => r.json()).catch(() => undefined);
  $('stats').textContent = lines.join('\\n') + (server ? '\\n\\nserver: ' + JSON.stringify(server, null, 1) : '');
}

$('start').onclick = start;
$('stop').onclick = stop;
setInterval(stats, 1000);
if (new URLSearchParams(location.search).has('autostart')) start();
</script>
</body></html>
`;
