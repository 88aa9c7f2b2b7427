package dev.kiln.api.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the resource methods that also take their credential as {@code ?access_token=} (event
 * streams: browsers cannot set headers on an EventSource). {@link BearerAuthFilter} decides by the
 * matched method, never by the request's path text.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface QueryTokenAllowed {}
