namespace Kollect.Tests.Integration.Postgres;

/// <summary>Tests that share one <see cref="PostgresServerFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServerFixture>
{
    public const string Name = "postgres";
}
