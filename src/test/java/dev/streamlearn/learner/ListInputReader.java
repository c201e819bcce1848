package dev.streamlearn.learner;

import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;

/** An {@link InputReader} over records held in memory and a committed offset, for processor and topology tests. */
final class ListInputReader implements InputReader {
    private final List<InputRecord> records;
    private final OptionalLong committed;

    /** Records to re-read; the group has committed nothing. */
    ListInputReader(List<InputRecord> records) {
        this(records, OptionalLong.empty());
    }

    ListInputReader(List<InputRecord> records, OptionalLong committed) {
        this.records = records;
        this.committed = committed;
    }

    @Override
    public OptionalLong committedOffset(String topic, int partition) {
        return committed;
    }

    @Override
    public void read(String topic, int partition, long from, long to, Consumer<InputRecord> each) {
        records.stream().filter(r -> r.offset() >= from && r.offset() < to).forEach(each);
    }
}
