package dev.kiln.bench.inference;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Reads the heap of running agent processes over JMX (the Attach API starts each agent's local
 * management agent): the peak of every heap pool since {@link #resetPeaks}, the committed heap, the
 * maximum heap and the time spent in GC. Not thread-safe.
 */
final class AgentHeap implements AutoCloseable {
  private final List<Connection> connections = new ArrayList<>();

  private record Connection(long pid, JMXConnector connector, MBeanServerConnection server) {}

  /** What one agent's heap looked like. */
  record Reading(long pid, long peakUsedBytes, long committedBytes, long maxBytes, long gcMillis) {}

  AgentHeap(List<Long> pids) throws IOException {
    for (long pid : pids) {
      connections.add(connect(pid));
    }
  }

  private static Connection connect(long pid) throws IOException {
    try {
      VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
      try {
        String address = vm.startLocalManagementAgent();
        JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
        return new Connection(pid, connector, connector.getMBeanServerConnection());
      } finally {
        vm.detach();
      }
    } catch (com.sun.tools.attach.AttachNotSupportedException e) {
      throw new IOException("cannot attach to agent process " + pid + ": " + e.getMessage(), e);
    }
  }

  /** Starts a new peak for every heap pool of every agent. */
  void resetPeaks() throws IOException {
    for (Connection connection : connections) {
      for (MemoryPoolMXBean pool : heapPools(connection)) {
        pool.resetPeakUsage();
      }
    }
  }

  /**
   * One reading per agent. The peak is the sum of each heap pool's peak (eden, survivor, old), an
   * upper bound of the heap ever in use at once, garbage included.
   */
  List<Reading> read() throws IOException {
    List<Reading> readings = new ArrayList<>();
    for (Connection connection : connections) {
      long peak = 0;
      long committed = 0;
      long max = 0;
      for (MemoryPoolMXBean pool : heapPools(connection)) {
        peak += pool.getPeakUsage().getUsed();
      }
      var memory =
          ManagementFactory.newPlatformMXBeanProxy(
              connection.server(),
              ManagementFactory.MEMORY_MXBEAN_NAME,
              java.lang.management.MemoryMXBean.class);
      committed = memory.getHeapMemoryUsage().getCommitted();
      max = memory.getHeapMemoryUsage().getMax();
      long gcMillis = 0;
      for (GarbageCollectorMXBean gc :
          ManagementFactory.getPlatformMXBeans(connection.server(), GarbageCollectorMXBean.class)) {
        gcMillis += Math.max(0, gc.getCollectionTime());
      }
      readings.add(new Reading(connection.pid(), peak, committed, max, gcMillis));
    }
    return readings;
  }

  private static List<MemoryPoolMXBean> heapPools(Connection connection) throws IOException {
    return ManagementFactory.getPlatformMXBeans(connection.server(), MemoryPoolMXBean.class)
        .stream()
        .filter(pool -> pool.getType() == MemoryType.HEAP)
        .toList();
  }

  @Override
  public void close() {
    for (Connection connection : connections) {
      try {
        connection.connector().close();
      } catch (IOException ignored) {
        // The agent may have stopped already.
      }
    }
  }
}
