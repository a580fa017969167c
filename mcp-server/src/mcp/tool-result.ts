import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** A tool's success: the structured result, and the same JSON as text for clients that show only text. */
export function toolResult<T extends object>(structured: T, text?: string): CallToolResult & { structuredContent: T } {
  return { content: [{ type: 'text', text: text ?? JSON.stringify(structured) }], structuredContent: structured as T & Record<string, unknown> };
}
