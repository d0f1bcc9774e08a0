// Reading QR passes with the phone's camera: getUserMedia frames decoded by jsQR (bundled from npm).
import jsQR from "jsqr";

const SAME_CODE_PAUSE_MS = 4000; // a pass held in front of the camera is read once, not every frame

export async function startScanner(video, onToken) {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: "environment" },
    audio: false,
  });
  video.srcObject = stream;
  video.hidden = false;
  await video.play();

  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  let running = true;
  let last = { token: "", at: 0 };

  function tick() {
    if (!running) return;
    if (video.readyState >= video.HAVE_ENOUGH_DATA && video.videoWidth) {
      // Decode a reduced copy: quicker on a phone, and passes are large on screen anyway.
      const scale = Math.min(1, 640 / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      const code = jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      const now = Date.now();
      if (code?.data && (code.data !== last.token || now - last.at > SAME_CODE_PAUSE_MS)) {
        last = { token: code.data, at: now };
        onToken(code.data);
      }
    }
    setTimeout(() => requestAnimationFrame(tick), 150);
  }
  requestAnimationFrame(tick);

  return {
    stop() {
      running = false;
      for (const track of stream.getTracks()) track.stop();
      video.hidden = true;
    },
  };
}
