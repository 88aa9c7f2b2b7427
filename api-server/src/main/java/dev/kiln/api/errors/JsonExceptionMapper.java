package dev.kiln.api.errors;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.kiln.model.InvalidValueException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.stream.Collectors;

/** Turns a body Jackson could not read into a 400 that says which field is wrong and how. */
@Provider
public class JsonExceptionMapper implements ExceptionMapper<JsonProcessingException> {
  @Context private UriInfo uriInfo;

  @Override
  public Response toResponse(JsonProcessingException e) {
    if (e instanceof JsonMappingException mapping) {
      ApiException api = findApiException(mapping);
      if (api != null) {
        return Problems.response(
            api.status(),
            api.slug(),
            api.title(),
            api.detail(),
            uriInfo,
            null,
            api.headers(),
            api.members());
      }
      InvalidValueException invalid = findCause(mapping, InvalidValueException.class);
      if (invalid != null) {
        return InvalidValueMapper.problem(invalid, uriInfo);
      }
    }
    return Problems.response(
        400, "malformed-body", "The request body could not be read", describe(e), uriInfo);
  }

  private static ApiException findApiException(Throwable e) {
    return findCause(e, ApiException.class);
  }

  private static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return type.cast(cause);
      }
    }
    return null;
  }

  static String describe(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException unknown) {
      String known =
          unknown.getKnownPropertyIds() == null
              ? ""
              : unknown.getKnownPropertyIds().stream()
                  .map(Object::toString)
                  .sorted()
                  .collect(Collectors.joining(", "));
      return "Unknown field '"
          + unknown.getPropertyName()
          + "'"
          + at(unknown)
          + "; remove it. Known fields: "
          + known
          + ".";
    }
    if (e instanceof ValueInstantiationException instantiation) {
      Throwable cause = instantiation.getCause();
      String reason = cause != null && cause.getMessage() != null ? cause.getMessage() : "invalid";
      return reason;
    }
    if (e instanceof InvalidFormatException format) {
      return "The field '"
          + path(format)
          + "' must be "
          + typeName(format.getTargetType())
          + "; got "
          + String.valueOf(format.getValue())
          + ".";
    }
    if (e instanceof MismatchedInputException mismatch) {
      String path = path(mismatch);
      if (path.isEmpty()) {
        return "The body must be a JSON object of the documented shape.";
      }
      return "The field '" + path + "' must be " + typeName(mismatch.getTargetType()) + ".";
    }
    if (e instanceof JsonParseException parse) {
      var location = parse.getLocation();
      return "The body is not valid JSON (line "
          + location.getLineNr()
          + ", column "
          + location.getColumnNr()
          + "): "
          + parse.getOriginalMessage()
          + ".";
    }
    return "The body is not valid JSON: " + e.getOriginalMessage();
  }

  private static String at(JsonMappingException e) {
    String path = path(e);
    int dot = path.lastIndexOf('.');
    return dot < 0 ? "" : " in '" + path.substring(0, dot) + "'";
  }

  private static String path(JsonMappingException e) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.toString();
  }

  private static String typeName(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "a whole number";
    }
    if (type == double.class || type == Double.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == java.util.UUID.class) {
      return "an id (a UUID)";
    }
    if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    if (type.isEnum()) {
      return "one of " + java.util.Arrays.toString(type.getEnumConstants());
    }
    if (type.isRecord() || java.util.Map.class.isAssignableFrom(type)) {
      return "an object";
    }
    return "a " + type.getSimpleName();
  }
}
