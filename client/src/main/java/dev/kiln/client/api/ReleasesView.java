package dev.kiln.client.api;

import dev.kiln.model.release.ReleaseRecord;
import java.util.List;

/**
 * The newest release records written by {@code kiln release}, newest first.
 *
 * @param items the records
 * @param note why the list is empty when the server cannot read releases, else {@code null}
 */
public record ReleasesView(List<ReleaseRecord> items, String note) {}
