namespace Proton.Sdk.Platform;

/// <summary>
/// The CloudFormation resource types that hold data (databases, buckets, tables, file systems, caches, streams, queues,
/// secrets, keys): replacing or deleting one loses what it holds, so a fleet upgrade that would do it needs
/// <see cref="UpgradeOptions.AllowStatefulReplacement"/>.
/// </summary>
public static class StatefulResourceTypes
{
    /// <summary>The types, compared ordinally.</summary>
    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        // Databases
        "AWS::RDS::DBInstance", "AWS::RDS::DBCluster", "AWS::DocDB::DBCluster", "AWS::DocDB::DBInstance", "AWS::Neptune::DBCluster",
        "AWS::Neptune::DBInstance", "AWS::Redshift::Cluster", "AWS::OpenSearchService::Domain", "AWS::Elasticsearch::Domain",
        "AWS::ElastiCache::CacheCluster", "AWS::ElastiCache::ReplicationGroup", "AWS::MemoryDB::Cluster", "AWS::Timestream::Table",
        "AWS::QLDB::Ledger", "AWS::Cassandra::Table",

        // Tables
        "AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable",

        // Buckets and file systems
        "AWS::S3::Bucket", "AWS::EFS::FileSystem", "AWS::FSx::FileSystem", "AWS::EC2::Volume", "AWS::Backup::BackupVault",

        // Streams, queues and secrets
        "AWS::Kinesis::Stream", "AWS::SQS::Queue", "AWS::SecretsManager::Secret", "AWS::KMS::Key", "AWS::Logs::LogGroup",
        "AWS::ECR::Repository", "AWS::Cognito::UserPool",
    };

    /// <summary>Whether a type holds data.</summary>
    /// <param name="resourceType">A CloudFormation type (<c>AWS::S3::Bucket</c>).</param>
    /// <returns>True for a type in <see cref="All"/>.</returns>
    public static bool Contains(string resourceType) => resourceType is not null && All.Contains(resourceType);
}
