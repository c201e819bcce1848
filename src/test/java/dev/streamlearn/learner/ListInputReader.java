package dev.streamlearn.learner;

import java.util.List;

/** An {@link InputReader} over records held in memory, for topology tests. */
final class ListInputReader implements InputReader {
    private final List<InputRecord> records;

    ListInputReader(List<InputRecord> records) {
        this.records = records;
    }

    @Override
    public List<InputRecord> read(String topic, int partition, long from, long to) {
        return records.stream().filter(r -> r.offset() >= from && r.offset() < to).toList();
    }
}
