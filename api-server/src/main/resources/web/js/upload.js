// Uploads a file straight to S3 with presigned URLs: its parts in parallel, with progress (bytes,
// rate, time left), pause, resume and cancel. A failed or cancelled upload removes its pending
// file, so nothing stays counted against the quota.
import { api } from "./api.js";

const PARALLEL = 4;
const MULTIPART_FROM = 16 * 1024 * 1024;

export class Upload {
  constructor(file, onChange) {
    this.file = file;
    this.onChange = onChange || (() => {});
    this.state = "waiting"; // waiting, uploading, paused, done, failed, cancelled
    this.loaded = 0;
    this.rate = 0;
    this.error = null;
    this.created = null;
    this.result = null;
    this.partLoaded = new Map();
    this.inFlight = new Map();
    this.etags = new Map();
    this.samples = [];
  }

  get total() { return this.file.size; }
  get percent() { return this.total ? Math.min(100, (100 * this.loaded) / this.total) : 0; }
  get secondsLeft() { return this.rate > 0 ? (this.total - this.loaded) / this.rate : null; }

  /** Starts (or, after a pause, resumes) the upload; resolves with the READY file. */
  start() {
    if (!this.promise) {
      this.promise = this.run();
    } else if (this.state === "paused") {
      this.state = "uploading";
      this.changed();
      this.pump();
    }
    return this.promise;
  }

  pause() {
    if (this.state !== "uploading" || !this.created || !this.created.parts) return;
    this.state = "paused";
    for (const xhr of this.inFlight.values()) xhr.abort();
    this.changed();
  }

  async cancel() {
    if (["done", "failed", "cancelled"].includes(this.state)) return;
    this.state = "cancelled";
    for (const xhr of this.inFlight.values()) xhr.abort();
    this.changed();
    await this.discard();
    if (this.reject) this.reject(new Error("Upload of " + this.file.name + " cancelled."));
  }

  async discard() {
    if (!this.created) return;
    try { await api("POST", "/api/v1/files/" + this.created.id + "/abort"); } catch (e) { /* already gone */ }
  }

  changed() { this.onChange(this); }

  async run() {
    this.state = "uploading";
    this.changed();
    try {
      this.created = await api("POST", "/api/v1/files", {
        name: this.file.name, sizeBytes: this.file.size, multipart: this.file.size >= MULTIPART_FROM,
      });
      if (this.state === "cancelled") { await this.discard(); throw new Error("Upload cancelled."); }
      this.changed();
      let body;
      if (this.created.uploadUrl) {
        await this.put(0, this.created.uploadUrl, this.file);
        body = {};
      } else {
        this.queue = this.created.parts.slice();
        await new Promise((resolve, reject) => {
          this.resolve = resolve;
          this.reject = reject;
          this.pump();
        });
        body = { parts: [...this.etags].map(([partNumber, etag]) => ({ partNumber, etag })) };
      }
      this.result = await api("POST", "/api/v1/files/" + this.created.id + "/complete", body);
      this.loaded = this.total;
      this.state = "done";
      this.changed();
      return this.result;
    } catch (e) {
      if (this.state !== "cancelled") {
        this.state = "failed";
        this.error = e.message || String(e);
        for (const xhr of this.inFlight.values()) xhr.abort();
        await this.discard();
        this.changed();
      }
      throw e;
    }
  }

  /** Keeps PARALLEL parts in flight while uploading. */
  pump() {
    if (this.state !== "uploading") return;
    while (this.inFlight.size < PARALLEL && this.queue.length) {
      const part = this.queue.shift();
      const start = (part.partNumber - 1) * this.created.partSize;
      const blob = this.file.slice(start, start + this.created.partSize);
      this.put(part.partNumber, part.url, blob).then(
        (etag) => {
          this.etags.set(part.partNumber, etag);
          this.pumpOrFinish();
        },
        (e) => {
          if (this.state === "paused" || this.state === "cancelled") {
            if (this.state === "paused") { this.queue.unshift(part); this.partLoaded.set(part.partNumber, 0); this.sum(); }
            return;
          }
          this.reject(e);
        });
    }
  }

  pumpOrFinish() {
    if (this.etags.size === this.created.parts.length) this.resolve();
    else this.pump();
  }

  put(partNumber, url, blob) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      this.inFlight.set(partNumber, xhr);
      xhr.open("PUT", url);
      xhr.upload.onprogress = (event) => {
        this.partLoaded.set(partNumber, event.loaded);
        this.sum();
      };
      xhr.onload = () => {
        this.inFlight.delete(partNumber);
        if (xhr.status >= 200 && xhr.status < 300) {
          this.partLoaded.set(partNumber, blob.size);
          this.sum();
          resolve(xhr.getResponseHeader("ETag") || "");
        } else {
          reject(new Error("Storage refused " + (partNumber ? "part " + partNumber : "the upload") + " of " + this.file.name + " (HTTP " + xhr.status + ")."));
        }
      };
      xhr.onerror = () => {
        this.inFlight.delete(partNumber);
        reject(new Error("Could not reach the storage to upload " + this.file.name + "; check the connection and try again."));
      };
      xhr.onabort = () => {
        this.inFlight.delete(partNumber);
        reject(new Error("aborted"));
      };
      xhr.send(blob);
    });
  }

  sum() {
    let loaded = 0;
    for (const value of this.partLoaded.values()) loaded += value;
    this.loaded = Math.min(loaded, this.total);
    const now = performance.now();
    this.samples.push([now, this.loaded]);
    while (this.samples.length > 2 && now - this.samples[0][0] > 5000) this.samples.shift();
    const [t0, b0] = this.samples[0];
    if (now - t0 > 300) this.rate = ((this.loaded - b0) * 1000) / (now - t0);
    this.changed();
  }
}
