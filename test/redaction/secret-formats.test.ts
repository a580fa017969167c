// The secret formats are data (instructions/secret-formats.yaml): each is checked against its own example
// and its stated source, redaction is stable when applied twice, and ordinary log text passes untouched.
import { describe, expect, it } from 'vitest';
import { loadPatternLibrary } from '../../mcp-server/src/diagnosis/pattern-library.js';
import { redact, redactDeep } from '../../mcp-server/src/redaction/redact.js';
import { secretFormats } from '../../mcp-server/src/redaction/secret-formats.js';

describe('secret formats (instructions/secret-formats.yaml)', () => {
  const formats = secretFormats();

  it('every format names where it is known from, and its example is redacted', () => {
    expect(formats.length).toBeGreaterThanOrEqual(15);
    for (const f of formats) {
      expect(f.source, f.id).toMatch(/gitleaks [a-z-]+|detect-secrets [A-Za-z]+Detector|docs|RFC \d+|PEM/);
      const out = redact(f.example);
      expect(out, f.id).toContain('<redacted>');
      expect(out, f.id).not.toBe(f.example);
    }
  });

  it('redacting twice changes nothing more, and JSON stays JSON', () => {
    for (const f of formats) {
      expect(redact(redact(f.example)), f.id).toBe(redact(f.example));
      const json = JSON.stringify(redactDeep({ text: f.example, nested: [f.example] }));
      expect(() => JSON.parse(json), f.id).not.toThrow();
    }
  });

  it('leaves ordinary training-log text alone', () => {
    // Every detection string of the failure-pattern library is ordinary log text.
    const lines = loadPatternLibrary().categories.flatMap((c) => c.detect.any.map((n) => n.text));
    lines.push('step 1200 loss=0.4312 lr=3e-4 tokens/s=51234', 'max_tokens=128 tokenizer=bert-base-uncased', 'sha256:5f0c3b1e2d4a6f8e9c7b5a3d1f2e4c6a8b0d9e7f5c3a1b2d4e6f8a0c2e4b6d8f');
    for (const line of lines) expect(redact(line), line).toBe(line);
  });

  it('a word and a colon after `credentials:` is prose; after `=` it is still a value', () => {
    expect(redact('E1202 getting credentials: exec: executable gke-gcloud-auth-plugin not found')).toBe('E1202 getting credentials: exec: executable gke-gcloud-auth-plugin not found');
    expect(redact('password=hunter:')).toBe('password=<redacted>');
    expect(redact('password: hunter2')).toBe('password: <redacted>');
  });
});
