import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/**
 * A tool's success: the structured result once, and a short text for the model and for clients that show
 * only text (never the same JSON a second time: results count against the client's context).
 */
export function toolResult<T extends object>(structured: T, text?: string): CallToolResult & { structuredContent: T } {
  return { content: [{ type: 'text', text: text ?? brief(structured) }], structuredContent: structured as T & Record<string, unknown> };
}

const MAX_VALUE = 120;

/** The scalar fields of a result and the size of its lists, on one line. */
export function brief(structured: object): string {
  const parts = Object.entries(structured).flatMap(([key, value]) => {
    if (Array.isArray(value)) return [`${key}: ${value.length}`];
    if (value === null || typeof value !== 'object') {
      const text = String(value);
      return [`${key}: ${text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text}`];
    }
    return [];
  });
  return `${parts.join('; ')} (full result in structuredContent)`;
}
