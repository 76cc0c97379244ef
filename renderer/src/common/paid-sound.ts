// The sound of a confirmed payment: a short rising two-note chime made with
// Web Audio (two oscillators through gain envelopes), so there is no asset
// to download or bundle. Browsers keep an AudioContext created before any
// user gesture suspended (autoplay policy), so the context is made lazily
// and resumed on the cashier's first key or click; the till always sees one
// (typing the amount) before a payment arrives.

/** Two notes a fifth apart (E5 then B5): short, bright, not an alarm. */
const NOTES = [
  { frequency: 659.25, at: 0, length: 0.16 },
  { frequency: 987.77, at: 0.13, length: 0.28 },
] as const;
const PEAK_GAIN = 0.25;

let context: AudioContext | null = null;
let armed = false;

function audioContext(): AudioContext | null {
  if (context) return context;
  const Ctor = typeof window !== 'undefined' ? window.AudioContext : undefined;
  if (!Ctor) return null;
  try {
    context = new Ctor();
  } catch {
    // No audio device, or audio disabled: the till stays silent rather than fail.
    return null;
  }
  return context;
}

function resume(): void {
  const ctx = audioContext();
  if (ctx && ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
}

/** Resumes (or creates) the audio context on the first user gesture, so the chime can sound later without one. */
export function armPaidSound(): void {
  if (armed || typeof window === 'undefined') return;
  armed = true;
  const onGesture = () => {
    resume();
    window.removeEventListener('pointerdown', onGesture, true);
    window.removeEventListener('keydown', onGesture, true);
  };
  window.addEventListener('pointerdown', onGesture, true);
  window.addEventListener('keydown', onGesture, true);
}

/** Plays the paid chime once. Never throws: a till without sound still works. */
export function playPaidSound(): void {
  const ctx = audioContext();
  if (!ctx) return;
  try {
    resume();
    const start = ctx.currentTime + 0.02;
    for (const note of NOTES) {
      const oscillator = ctx.createOscillator();
      const gain = ctx.createGain();
      oscillator.type = 'sine';
      oscillator.frequency.value = note.frequency;
      // A quick attack and an exponential fade: no click at either end.
      const t0 = start + note.at;
      gain.gain.setValueAtTime(0.0001, t0);
      gain.gain.exponentialRampToValueAtTime(PEAK_GAIN, t0 + 0.015);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + note.length);
      oscillator.connect(gain).connect(ctx.destination);
      oscillator.start(t0);
      oscillator.stop(t0 + note.length + 0.02);
    }
  } catch {
    // As above: the sound is a courtesy, never a failure of the till.
  }
}
