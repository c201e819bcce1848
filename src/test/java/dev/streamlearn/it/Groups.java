package dev.streamlearn.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/** What a consumer group's members hold, for tests that kill one instance of several. */
final class Groups {
    private Groups() {
    }

    /** Waits (up to 60 s) until each of two members of a group has one partition, so the one killed had work. */
    static void awaitOnePartitionEach(Broker broker, String group) throws Exception {
        try (Admin admin = Admin.create(broker.client())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            List<Integer> assigned = List.of();
            while (System.nanoTime() < deadline) {
                try {
                    assigned = admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().stream()
                            .map(member -> member.assignment().topicPartitions().size()).toList();
                    if (assigned.equals(List.of(1, 1))) {
                        return;
                    }
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                        throw e;
                    }
                }
                Thread.sleep(200);
            }
            throw new AssertionError("the two instances of " + group + " did not get a partition each: " + assigned);
        }
    }
}
