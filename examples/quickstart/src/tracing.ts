// Traces to OpenTelemetry, chosen by the standard OTel environment variables: nothing is installed unless
// asked for, so an untraced run pays only for the spans' bookkeeping.
import * as NodeSdk from "@effect/opentelemetry/NodeSdk"
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http"
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanProcessor
} from "@opentelemetry/sdk-trace-base"
import { Layer } from "effect"

export const serviceName = "shuangbai-quickstart"

/** Installs the Effect tracer over an OpenTelemetry span processor: every span of the program goes to it. */
export const layerProcessor = (spanProcessor: SpanProcessor): Layer.Layer<never> =>
  NodeSdk.layer(() => ({ resource: { serviceName }, spanProcessor }))

/**
 * `OTEL_TRACES_EXPORTER=console` prints each span as it ends (local use); `OTEL_EXPORTER_OTLP_ENDPOINT`
 * (e.g. http://localhost:4318, a collector or Jaeger) sends them over OTLP/HTTP in batches; with neither,
 * no tracer is installed.
 */
export const layerFromEnv = (env: Record<string, string | undefined> = process.env): Layer.Layer<never> => {
  if (env.OTEL_TRACES_EXPORTER === "console") return layerProcessor(new SimpleSpanProcessor(new ConsoleSpanExporter()))
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined && env.OTEL_EXPORTER_OTLP_ENDPOINT !== "") {
    // The exporter reads the endpoint (and OTEL_EXPORTER_OTLP_HEADERS) from the environment itself.
    return layerProcessor(new BatchSpanProcessor(new OTLPTraceExporter()))
  }
  return Layer.empty
}
