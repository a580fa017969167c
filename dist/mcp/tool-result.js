/** A tool's success: the structured result, and the same JSON as text for clients that show only text. */
export function toolResult(structured, text) {
    return { content: [{ type: 'text', text: text ?? JSON.stringify(structured) }], structuredContent: structured };
}
