/** One server-sent event as a client sees it. */
export interface Received {
  readonly id: string | undefined
  readonly event: string | undefined
  readonly data: string
}

/**
 * Opens the feed and hands each event to `onEvent` until it returns true (then the client disconnects)
 * or the server ends the stream, or `signal` aborts. Returns the answer's status; a refused request is not read as a feed.
 */
export const follow = async (
  url: string,
  headers: Record<string, string>,
  onEvent: (event: Received) => boolean,
  signal?: AbortSignal
): Promise<{ readonly status: number; readonly body?: unknown }> => {
  const controller = new AbortController()
  signal?.addEventListener("abort", () => controller.abort())
  const response = await fetch(url, { headers, signal: controller.signal })
  if (response.status !== 200) return { status: response.status, body: await response.json() }
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ""
  try {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) return { status: 200 }
      buffer += value
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const fields = new Map<string, Array<string>>()
        for (const line of block.split("\n")) {
          if (line.startsWith(":") || line === "") continue
          const colon = line.indexOf(":")
          const name = colon < 0 ? line : line.slice(0, colon)
          const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "")
          fields.set(name, [...(fields.get(name) ?? []), value])
        }
        if (!fields.has("data")) continue
        const event = {
          id: fields.get("id")?.at(-1),
          event: fields.get("event")?.at(-1),
          data: fields.get("data")!.join("\n")
        }
        if (onEvent(event)) {
          controller.abort()
          return { status: 200 }
        }
      }
    }
  } catch (error) {
    if (controller.signal.aborted) return { status: 200 }
    throw error
  }
}
