package io.rollstream.schemas.registry;

import static io.rollstream.schemas.TestSchemas.clickEventPlusField;
import static io.rollstream.schemas.TestSchemas.clickEventWithFieldType;
import static io.rollstream.schemas.TestSchemas.clickEventWithoutField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollstream.schemas.ClickEvent;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryClientTest {

    private static final Schema CLICK = ClickEvent.getClassSchema();
    private static final Schema PLUS_OPTIONAL_FIELD =
            clickEventPlusField("{\"name\":\"campaign\",\"type\":[\"null\",\"string\"],\"default\":null}");
    private static final Schema PLUS_REQUIRED_FIELD =
            clickEventPlusField("{\"name\":\"campaign\",\"type\":\"string\"}");
    private static final String SUBJECT = "clickstream.events-value";

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient("test");

    @Test
    void shouldAssignSequentialIdsAndReuseTheIdOfAnEqualSchema() {
        int first = registry.register(SUBJECT, CLICK);
        int again = registry.register(SUBJECT, new Schema.Parser().parse(CLICK.toString()));
        int otherSubject = registry.register("replay-value", CLICK);
        int evolved = registry.register(SUBJECT, PLUS_OPTIONAL_FIELD);

        assertThat(first).isEqualTo(1);
        assertThat(again).isEqualTo(1);
        assertThat(otherSubject).isEqualTo(1);
        assertThat(evolved).isEqualTo(2);
        assertThat(registry.schemaById(2)).isEqualTo(PLUS_OPTIONAL_FIELD);
        assertThat(registry.subjects()).containsExactly(SUBJECT, "replay-value");
    }

    @Test
    void shouldAcceptNewOptionalFieldAsNextVersionUnderBackward() {
        registry.register(SUBJECT, CLICK);

        assertThat(registry.isCompatible(SUBJECT, PLUS_OPTIONAL_FIELD)).isTrue();
        int id = registry.register(SUBJECT, PLUS_OPTIONAL_FIELD);

        assertThat(registry.latest(SUBJECT)).isEqualTo(new RegisteredSchema(SUBJECT, id, 2, PLUS_OPTIONAL_FIELD));
        assertThat(registry.lookup(SUBJECT, CLICK).version()).isEqualTo(1);
    }

    @Test
    void shouldRejectNewRequiredFieldWithoutDefaultUnderBackward() {
        registry.register(SUBJECT, CLICK);

        assertThat(registry.isCompatible(SUBJECT, PLUS_REQUIRED_FIELD)).isFalse();
        assertThatThrownBy(() -> registry.register(SUBJECT, PLUS_REQUIRED_FIELD))
                .isInstanceOfSatisfying(IncompatibleSchemaException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(409);
                })
                .hasMessageContaining("subject '" + SUBJECT + "'")
                .hasMessageContaining("BACKWARD")
                .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE")
                .hasMessageContaining("campaign")
                .hasMessageContaining("give a new field a default");
        assertThat(registry.latest(SUBJECT).version()).isEqualTo(1);
    }

    @Test
    void shouldRejectChangedFieldType() {
        registry.register(SUBJECT, CLICK);

        assertThatThrownBy(() -> registry.register(SUBJECT, clickEventWithFieldType("event_time", "\"string\"")))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("TYPE_MISMATCH")
                .hasMessageContaining("/fields/4");
    }

    @Test
    void shouldAcceptAnyChangeUnderNone() {
        registry.setCompatibility(SUBJECT, CompatibilityLevel.NONE);
        registry.register(SUBJECT, CLICK);

        assertThat(registry.register(SUBJECT, PLUS_REQUIRED_FIELD)).isEqualTo(2);
    }

    @Test
    void shouldCheckOldReadersUnderForward() {
        Schema withoutEventId = clickEventWithoutField("event_id");
        registry.register(SUBJECT, CLICK);

        // Dropping a field without default: new readers cope, old readers have nothing to fill it with.
        assertThat(registry.isCompatible(SUBJECT, withoutEventId)).isTrue();
        registry.setCompatibility(SUBJECT, CompatibilityLevel.FORWARD);
        assertThat(registry.isCompatible(SUBJECT, withoutEventId)).isFalse();
        assertThat(registry.isCompatible(SUBJECT, PLUS_REQUIRED_FIELD)).isTrue();
        registry.setCompatibility(SUBJECT, CompatibilityLevel.FULL);
        assertThat(registry.isCompatible(SUBJECT, PLUS_REQUIRED_FIELD)).isFalse();
        assertThat(registry.isCompatible(SUBJECT, PLUS_OPTIONAL_FIELD)).isTrue();
    }

    @Test
    void shouldCheckEveryVersionOnlyWhenTransitive() {
        Schema defaultedCampaign =
                clickEventPlusField("{\"name\":\"campaign\",\"type\":\"string\",\"default\":\"none\"}");
        registry.register(SUBJECT, CLICK);
        registry.register(SUBJECT, defaultedCampaign);

        // Version 2 always writes a campaign, so dropping the default is fine against it; version 1 never wrote one.
        registry.setCompatibility(SUBJECT, CompatibilityLevel.BACKWARD_TRANSITIVE);
        assertThatThrownBy(() -> registry.register(SUBJECT, PLUS_REQUIRED_FIELD))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("version 1")
                .hasMessageNotContaining("version 2");
        registry.setCompatibility(SUBJECT, CompatibilityLevel.BACKWARD);
        assertThat(registry.register(SUBJECT, PLUS_REQUIRED_FIELD)).isEqualTo(3);
    }

    @Test
    void shouldKeepSubjectRulesApartFromTheGlobalOne() {
        assertThat(registry.compatibility(null)).isEqualTo(CompatibilityLevel.BACKWARD);
        registry.setCompatibility(SUBJECT, CompatibilityLevel.FULL);
        registry.setCompatibility(null, CompatibilityLevel.NONE);

        assertThat(registry.compatibility(SUBJECT)).isEqualTo(CompatibilityLevel.FULL);
        assertThat(registry.compatibility("other-value")).isEqualTo(CompatibilityLevel.NONE);
        assertThat(registry.compatibility(null)).isEqualTo(CompatibilityLevel.NONE);
    }

    @Test
    void shouldFailLikeARealRegistryForUnknownIdsSubjectsAndSchemas() {
        registry.register(SUBJECT, CLICK);

        assertThatThrownBy(() -> registry.schemaById(42))
                .isInstanceOfSatisfying(SchemaNotFoundException.class, e -> assertThat(e.errorCode()).isEqualTo(40403))
                .hasMessageContaining("Schema id 42")
                .hasMessageContaining("ids 1..1");
        assertThatThrownBy(() -> registry.latest("nope-value"))
                .isInstanceOfSatisfying(SubjectNotFoundException.class, e -> assertThat(e.errorCode()).isEqualTo(40401))
                .hasMessageContaining("'nope-value'");
        assertThatThrownBy(() -> registry.lookup(SUBJECT, PLUS_OPTIONAL_FIELD))
                .isInstanceOf(SchemaNotFoundException.class)
                .hasMessageContaining("not registered under subject '" + SUBJECT + "'");
        assertThat(registry.isCompatible("nope-value", PLUS_REQUIRED_FIELD)).isTrue();
    }
}
