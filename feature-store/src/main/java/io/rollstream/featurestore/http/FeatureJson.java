package io.rollstream.featurestore.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.rollstream.engine.DerivedFeature;
import io.rollstream.engine.FeatureVector;
import io.rollstream.featurestore.answers.AnswerTemplate;
import io.rollstream.featurestore.query.FeatureNames;
import io.rollstream.featurestore.query.FeatureSelection;
import io.rollstream.featurestore.query.ServedResult;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes feature answers, streamed straight to bytes:
 * <pre>
 * single: {"entity","id","as_of","found","stale","served_by","newest_event_time","lag_records","features":{...}}
 * batch:  {"entity","as_of","results":[{"id","found","stale","served_by","newest_event_time","lag_records","features"}, ...]}
 * </pre>
 * A result another instance read is passed on as that instance wrote it.
 */
final class FeatureJson {

    private FeatureJson() {
    }

    static byte[] single(final String entity, final long asOf, final ServedResult result, final FeatureSelection selection) {
        return writeSingle(new ByteArrayOutputStream(answerSize(selection)), entity, asOf, result, selection, null);
    }

    /**
     * {@link #single} for a result read here, as a template whose {@code as_of} and read-time features
     * can be filled for a later instant; null when it cannot be one.
     *
     * @param readTime the entity's {@linkplain AnswerTemplate#readTimeFeatures read-time features}
     */
    static AnswerTemplate singleTemplate(final String entity, final long asOf, final ServedResult.Local result,
                                         final FeatureSelection selection, final Map<String, DerivedFeature> readTime) {
        if (!selection.all()) {
            throw new IllegalArgumentException("a template answers all features; this selection is " + selection.names());
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream(answerSize(selection));
        final AnswerTemplate.Recorder holes = new AnswerTemplate.Recorder(out, readTime, HOLE_VALUES);
        return holes.build(writeSingle(out, entity, asOf, result, selection, holes), result.vector().holdsUntil());
    }

    /** @param holes marks where the answer moves with the read time, for a template; null for an answer */
    private static byte[] writeSingle(final ByteArrayOutputStream out, final String entity, final long asOf,
                                      final ServedResult result, final FeatureSelection selection,
                                      final AnswerTemplate.Recorder holes) {
        try (JsonGenerator json = HttpResponses.JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("entity", entity);
            writeResult(json, result, selection, Instant.ofEpochMilli(asOf).toString(), holes);
            json.writeEndObject();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Sized for a whole vector (about 26 bytes a feature) so the buffer does not grow while writing. */
    private static int answerSize(final FeatureSelection selection) {
        return 512 + 32 * selection.names().size();
    }

    /** What goes in a template's holes, written as the {@code as_of} field and {@link #writeValue} write them. */
    private static final AnswerTemplate.Values HOLE_VALUES = new AnswerTemplate.Values() {
        @Override
        public byte[] asOf(final long asOf) {
            return ('"' + Instant.ofEpochMilli(asOf).toString() + '"').getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public byte[] value(final Object value) {
            if (value == null) {
                return NULL;
            }
            if (value instanceof Double number && Double.isFinite(number)) {
                // Jackson's writeNumber(double) with default settings; a template checks it against what was written.
                return Double.toString(number).getBytes(StandardCharsets.US_ASCII);
            }
            final ByteArrayOutputStream out = new ByteArrayOutputStream(32);
            try (JsonGenerator json = HttpResponses.JSON.createGenerator(out)) {
                writeValue(json, value);
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }
    };

    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    static byte[] batch(final String entity, final long asOf, final List<ServedResult> results,
                        final FeatureSelection selection) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(256 + results.size() * (256 + 32 * selection.names().size()));
        try (JsonGenerator json = HttpResponses.JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("entity", entity);
            json.writeStringField("as_of", Instant.ofEpochMilli(asOf).toString());
            json.writeArrayFieldStart("results");
            for (final ServedResult result : results) {
                json.writeStartObject();
                writeResult(json, result, selection, null, null);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The fields of one result; {@code asOf}, when given, right after the id. */
    private static void writeResult(final JsonGenerator json, final ServedResult result, final FeatureSelection selection,
                                    final String asOf, final AnswerTemplate.Recorder holes) throws IOException {
        switch (result) {
            case ServedResult.Local local -> writeLocal(json, local, selection, asOf, holes);
            case ServedResult.Relayed relayed -> {
                for (final Map.Entry<String, JsonNode> field : relayed.json().properties()) {
                    json.writeFieldName(field.getKey());
                    json.writeTree(field.getValue());
                    if (asOf != null && field.getKey().equals("id")) {
                        json.writeStringField("as_of", asOf);
                    }
                }
            }
        }
    }

    /** @param holes marks where the answer moves with the read time, for a template; null for an answer */
    private static void writeLocal(final JsonGenerator json, final ServedResult.Local result,
                                   final FeatureSelection selection, final String asOf,
                                   final AnswerTemplate.Recorder holes) throws IOException {
        final FeatureVector vector = result.vector();
        json.writeStringField("id", result.id());
        if (asOf != null) {
            json.writeStringField("as_of", asOf);
            if (holes != null) {
                holes.asOf(json, vector.asOf());
            }
        }
        json.writeBooleanField("found", vector.found());
        json.writeBooleanField("stale", result.stale());
        json.writeStringField("served_by", result.servedBy());
        if (vector.found()) {
            json.writeStringField("newest_event_time", Instant.ofEpochMilli(vector.newestEventTime()).toString());
        } else {
            json.writeNullField("newest_event_time");
        }
        json.writeNumberField("lag_records", result.lagRecords());
        json.writeObjectFieldStart("features");
        if (selection.all()) {
            // The vector holds every feature in declaration order, the order of the names: walk it
            // instead of looking each name up (a tenth of a single get's CPU went to those lookups).
            for (final Map.Entry<String, Object> feature : vector.values().entrySet()) {
                json.writeFieldName(feature.getKey());
                writeValue(json, feature.getValue());
                if (holes != null) {
                    holes.feature(json, feature.getKey(), vector);
                }
            }
            if (!vector.values().containsKey(FeatureNames.LAST_EVENT_TIME)) {
                writeLastEventTime(json, vector);
            }
        } else {
            for (final String name : selection.names()) {
                if (name.equals(FeatureNames.LAST_EVENT_TIME) && !vector.values().containsKey(name)) {
                    writeLastEventTime(json, vector);
                } else {
                    json.writeFieldName(name);
                    writeValue(json, vector.get(name));
                }
            }
        }
        json.writeEndObject();
    }

    private static void writeLastEventTime(final JsonGenerator json, final FeatureVector vector) throws IOException {
        if (vector.found()) {
            json.writeNumberField(FeatureNames.LAST_EVENT_TIME, vector.newestEventTime());
        } else {
            json.writeNullField(FeatureNames.LAST_EVENT_TIME);
        }
    }

    /**
     * A feature value, written for the shapes features have (numbers, text, booleans, lists and maps
     * of them) without the ObjectMapper's per-value serializer lookup, which took a fifth of a
     * single get's CPU; output identical to {@code writeObject}, which anything else falls back to.
     */
    static void writeValue(final JsonGenerator json, final Object value) throws IOException {
        switch (value) {
            case null -> json.writeNull();
            case Long number -> json.writeNumber(number);
            case Integer number -> json.writeNumber(number);
            case Double number -> json.writeNumber(number);
            case String text -> json.writeString(text);
            case Boolean bool -> json.writeBoolean(bool);
            case List<?> list -> {
                json.writeStartArray();
                for (final Object element : list) {
                    writeValue(json, element);
                }
                json.writeEndArray();
            }
            case Map<?, ?> map when map.keySet().stream().allMatch(String.class::isInstance) -> {
                json.writeStartObject();
                for (final Map.Entry<?, ?> entry : map.entrySet()) {
                    json.writeFieldName((String) entry.getKey());
                    writeValue(json, entry.getValue());
                }
                json.writeEndObject();
            }
            default -> json.writeObject(value);
        }
    }
}
