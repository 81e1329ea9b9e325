using System.Runtime.InteropServices;
using System.Text;

namespace Kollect.Testing.Kafka;

/// <summary>
/// librdkafka's mock Kafka cluster (<c>rdkafka_mock.h</c>), run inside the test process through
/// P/Invoke to Debian's <c>librdkafka.so.1</c>. It speaks the Kafka protocol on loopback TCP
/// ports, so Confluent.Kafka and kcat talk to it like to a real cluster; it has no TLS or SASL.
/// </summary>
/// <remarks>
/// Limits that shape the tests: the mock checks producer sequence numbers only for
/// transactional producers, so it does not deduplicate an idempotent producer's retry of a
/// request it had already appended (a lost response); and it creates any topic a client asks
/// about, so a missing topic is simulated with <see cref="SetTopicError"/>.
/// In-process rather than a helper executable: nothing can outlive the test run, and fault
/// injection is a direct call. Dispose destroys the cluster and closes its ports.
/// </remarks>
public sealed class KafkaMockCluster : IDisposable
{
    /// <summary>Kafka API key of Produce requests, for <see cref="PushRequestErrors"/>.</summary>
    public const short ProduceApiKey = 0;

    /// <summary>Kafka API key of Metadata requests.</summary>
    public const short MetadataApiKey = 3;

    private const string Library = "librdkafka.so.1";
    private readonly object _gate = new();
    private IntPtr _client;
    private IntPtr _cluster;

    /// <summary>Starts a mock cluster with <paramref name="brokers"/> brokers (ids 1..n) on free loopback ports.</summary>
    public KafkaMockCluster(int brokers = 1)
    {
        var error = new byte[512];
        var conf = rd_kafka_conf_new();
        // Keep the mock's own client quiet; the tests read results, not librdkafka's log.
        Set(conf, "log_level", "0", error);
        _client = rd_kafka_new(0, conf, error, (UIntPtr)error.Length);
        if (_client == IntPtr.Zero)
        {
            throw new InvalidOperationException($"rd_kafka_new failed: {Text(error)}");
        }

        _cluster = rd_kafka_mock_cluster_new(_client, brokers);
        if (_cluster == IntPtr.Zero)
        {
            rd_kafka_destroy(_client);
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed");
        }

        BrokerCount = brokers;
        Bootstrap = Marshal.PtrToStringUTF8(rd_kafka_mock_cluster_bootstraps(_cluster))
            ?? throw new InvalidOperationException("the mock cluster has no bootstrap address");
    }

    /// <summary>The cluster's bootstrap list, <c>127.0.0.1:port,…</c>.</summary>
    public string Bootstrap { get; }

    /// <summary>Bootstrap brokers as a list, for sink settings.</summary>
    public IReadOnlyList<string> Brokers => Bootstrap.Split(',');

    /// <summary>Number of brokers; their ids are 1..n.</summary>
    public int BrokerCount { get; }

    /// <summary>Creates a topic; the mock places partition leaders across brokers.</summary>
    public void CreateTopic(string topic, int partitions, int replicationFactor = 1) =>
        Check(rd_kafka_mock_topic_create(Cluster, topic, partitions, replicationFactor), "create topic");

    /// <summary>
    /// Makes metadata responses report <paramref name="kafkaErrorCode"/> for the topic. The mock
    /// creates any topic a client asks about (it ignores AllowAutoTopicCreation), so a missing
    /// topic is simulated with <c>UNKNOWN_TOPIC_OR_PART</c> (3), as a broker without
    /// auto-creation answers.
    /// </summary>
    public void SetTopicError(string topic, int kafkaErrorCode) => rd_kafka_mock_topic_set_error(Cluster, topic, kafkaErrorCode);

    /// <summary>Moves a partition's leadership to a broker.</summary>
    public void SetPartitionLeader(string topic, int partition, int brokerId) =>
        Check(rd_kafka_mock_partition_set_leader(Cluster, topic, partition, brokerId), "set partition leader");

    /// <summary>Takes a broker down: its connections are closed and new ones refused.</summary>
    public void SetBrokerDown(int brokerId) => Check(rd_kafka_mock_broker_set_down(Cluster, brokerId), "set broker down");

    /// <summary>Brings a broker back up.</summary>
    public void SetBrokerUp(int brokerId) => Check(rd_kafka_mock_broker_set_up(Cluster, brokerId), "set broker up");

    /// <summary>Makes the next requests of an API fail with the given Kafka error codes, one per request.</summary>
    public void PushRequestErrors(short apiKey, params int[] errorCodes) =>
        rd_kafka_mock_push_request_errors_array(Cluster, apiKey, (UIntPtr)errorCodes.Length, errorCodes);

    /// <summary>Destroys the cluster and its client; ports close.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_cluster != IntPtr.Zero)
            {
                rd_kafka_mock_cluster_destroy(_cluster);
                _cluster = IntPtr.Zero;
            }

            if (_client != IntPtr.Zero)
            {
                rd_kafka_destroy(_client);
                _client = IntPtr.Zero;
            }
        }
    }

    private IntPtr Cluster => _cluster != IntPtr.Zero ? _cluster : throw new ObjectDisposedException(nameof(KafkaMockCluster));

    private static void Set(IntPtr conf, string name, string value, byte[] error)
    {
        if (rd_kafka_conf_set(conf, name, value, error, (UIntPtr)error.Length) != 0)
        {
            throw new InvalidOperationException($"rd_kafka_conf_set {name}: {Text(error)}");
        }
    }

    private static void Check(int err, string what)
    {
        if (err != 0)
        {
            throw new InvalidOperationException($"mock cluster: {what} failed: {Marshal.PtrToStringUTF8(rd_kafka_err2str(err))}");
        }
    }

    private static string Text(byte[] buffer)
    {
        var end = Array.IndexOf(buffer, (byte)0);
        return Encoding.UTF8.GetString(buffer, 0, end < 0 ? buffer.Length : end);
    }

    [DllImport(Library)]
    private static extern IntPtr rd_kafka_conf_new();

    [DllImport(Library)]
    private static extern int rd_kafka_conf_set(IntPtr conf, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, byte[] errstr, UIntPtr errstrSize);

    [DllImport(Library)]
    private static extern IntPtr rd_kafka_new(int type, IntPtr conf, byte[] errstr, UIntPtr errstrSize);

    [DllImport(Library)]
    private static extern void rd_kafka_destroy(IntPtr rk);

    [DllImport(Library)]
    private static extern IntPtr rd_kafka_err2str(int err);

    [DllImport(Library)]
    private static extern IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokerCount);

    [DllImport(Library)]
    private static extern void rd_kafka_mock_cluster_destroy(IntPtr mcluster);

    [DllImport(Library)]
    private static extern IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr mcluster);

    [DllImport(Library)]
    private static extern int rd_kafka_mock_topic_create(IntPtr mcluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int partitionCount, int replicationFactor);

    [DllImport(Library)]
    private static extern void rd_kafka_mock_topic_set_error(IntPtr mcluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int err);

    [DllImport(Library)]
    private static extern int rd_kafka_mock_partition_set_leader(IntPtr mcluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int partition, int brokerId);

    [DllImport(Library)]
    private static extern int rd_kafka_mock_broker_set_down(IntPtr mcluster, int brokerId);

    [DllImport(Library)]
    private static extern int rd_kafka_mock_broker_set_up(IntPtr mcluster, int brokerId);

    [DllImport(Library)]
    private static extern void rd_kafka_mock_push_request_errors_array(IntPtr mcluster, short apiKey, UIntPtr count, int[] errors);
}
