package io.rollstream.collector;

import io.rollstream.schemas.contract.Texts;
import com.fasterxml.jackson.core.JsonParser;

import java.io.IOException;

/** The parser's current value as an error message names it: its JSON type, and the value when it is short. */
final class JsonValues {

    private JsonValues() {
    }

    /** {@code a string "12.5"}, {@code an integer 42}, {@code a number 1.5}, {@code a boolean true}, {@code an array}... */
    static String describe(final JsonParser parser) throws IOException {
        if (parser.currentToken() == null) {
            return "nothing";
        }
        return switch (parser.currentToken()) {
            case VALUE_STRING -> "a string \"" + Texts.abbreviate(parser.getText()) + "\"";
            case VALUE_NUMBER_INT -> "an integer " + Texts.abbreviate(parser.getText());
            case VALUE_NUMBER_FLOAT -> "a number " + Texts.abbreviate(parser.getText());
            case VALUE_TRUE, VALUE_FALSE -> "a boolean " + parser.getText();
            case VALUE_NULL -> "null";
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            default -> parser.currentToken().name().toLowerCase();
        };
    }
}
