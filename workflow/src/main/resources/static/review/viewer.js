// The slice stack of one read: greyscale slices with the findings' segments laid over them.

const PRELOAD = 3;

export class SliceViewer {
  constructor(readId, volume, onSlice) {
    this.readId = readId;
    this.volume = volume;
    this.onSlice = onSlice;
    this.z = 0;
    this.window = 'lung';
    this.overlay = true;
    this.segments = volume.segments.map(s => s.segmentNumber);
    this.selected = null;
    this.preloaded = new Map();
    this.stage = document.getElementById('stage');
    this.image = document.getElementById('slice-image');
    this.overlayImage = document.getElementById('overlay-image');
    this.marker = document.getElementById('marker');
    this.range = document.getElementById('slice-range');
    this.label = document.getElementById('slice-label');

    const width = volume.columns * volume.columnSpacing;
    const height = volume.rows * volume.rowSpacing;
    this.stage.style.setProperty('--aspect', String(width / height));
    this.range.max = String(volume.slices - 1);
    this.range.addEventListener('input', () => this.show(Number(this.range.value)));
    document.getElementById('slice-up').addEventListener('click', () => this.step(1));
    document.getElementById('slice-down').addEventListener('click', () => this.step(-1));
    this.stage.addEventListener('wheel', event => {
      event.preventDefault();
      this.step(event.deltaY > 0 ? -1 : 1);
    }, { passive: false });
    document.querySelectorAll('[data-window]').forEach(button =>
      button.addEventListener('click', () => this.setWindow(button.dataset.window)));
    document.getElementById('overlay-toggle').addEventListener('change', event => this.setOverlay(event.target.checked));
  }

  sliceUrl(z) {
    return `/api/reads/${this.readId}/slices/${z}.png?window=${this.window}`;
  }

  overlayUrl(z) {
    return `/api/reads/${this.readId}/overlays/${z}.png?segments=${this.segments.join(',')}`;
  }

  step(delta) {
    this.show(this.z + delta);
  }

  /** Shows slice z (clamped to the series). */
  show(z) {
    this.z = Math.max(0, Math.min(this.volume.slices - 1, z));
    this.image.src = this.sliceUrl(this.z);
    this.overlayImage.src = this.overlayUrl(this.z);
    this.overlayImage.hidden = !this.overlay;
    this.range.value = String(this.z);
    this.label.textContent = `Slice ${this.z + 1} / ${this.volume.slices}`;
    this.stage.dataset.slice = String(this.z);
    this.placeMarker();
    this.preload();
    this.onSlice(this.z, this.volume.segments.filter(s => this.z >= s.firstSlice && this.z <= s.lastSlice));
  }

  /** Fetches the neighbouring slices ahead, so scrolling shows them at once. */
  preload() {
    for (let d = -PRELOAD; d <= PRELOAD; d++) {
      const z = this.z + d;
      if (d === 0 || z < 0 || z >= this.volume.slices) {
        continue;
      }
      for (const url of [this.sliceUrl(z), this.overlayUrl(z)]) {
        if (!this.preloaded.has(url)) {
          const image = new Image();
          image.src = url;
          this.preloaded.set(url, image);
        }
      }
    }
  }

  setWindow(name) {
    this.window = name;
    document.querySelectorAll('[data-window]').forEach(button =>
      button.setAttribute('aria-pressed', String(button.dataset.window === name)));
    this.show(this.z);
  }

  toggleWindow() {
    this.setWindow(this.window === 'lung' ? 'soft' : 'lung');
  }

  setOverlay(visible) {
    this.overlay = visible;
    document.getElementById('overlay-toggle').checked = visible;
    this.show(this.z);
  }

  /** The segments drawn in the overlay (rejected findings' segments are left out). */
  setSegments(segmentNumbers) {
    const changed = segmentNumbers.join(',') !== this.segments.join(',');
    this.segments = segmentNumbers;
    if (changed) {
      this.show(this.z);
    }
  }

  /** Marks the selected finding's segment with a box in its colour, and jumps to its centroid slice. */
  select(segment, jump = true) {
    this.selected = segment;
    if (segment && jump) {
      this.show(segment.centroidSlice);
    } else {
      this.placeMarker();
    }
  }

  placeMarker() {
    const s = this.selected;
    if (!s || !s.voxelCount || this.z < s.firstSlice || this.z > s.lastSlice) {
      this.marker.hidden = true;
      return;
    }
    const pad = 4;
    const left = (s.minColumn - pad) / this.volume.columns * 100;
    const top = (s.minRow - pad) / this.volume.rows * 100;
    const width = (s.maxColumn - s.minColumn + 1 + 2 * pad) / this.volume.columns * 100;
    const height = (s.maxRow - s.minRow + 1 + 2 * pad) / this.volume.rows * 100;
    Object.assign(this.marker.style, {
      left: `${left}%`, top: `${top}%`, width: `${width}%`, height: `${height}%`, borderColor: s.colour
    });
    this.marker.hidden = false;
  }
}
