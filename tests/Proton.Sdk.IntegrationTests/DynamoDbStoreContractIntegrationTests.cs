using Proton.Sdk.Aws.Storage;
using Proton.Sdk.Storage;
using Proton.Sdk.Tests.Storage;

namespace Proton.Sdk.IntegrationTests;

/// <summary>The store contract the in-memory, file and fake-DynamoDB stores pass, run against DynamoDB on the endpoint: a new table per test, deleted after.</summary>
public sealed class DynamoDbStoreContractIntegrationTests : StoreContractTests
{
    private string? _url;
    private DynamoDbStoreOptions? _options;
    private DynamoDbProtonStore? _store;

    // moto's DynamoDB backend checks a condition and writes the item without a lock, so two of its server threads can both
    // pass the same condition (seen: 79 of 80 increments). The store's conditional writes are proven on the fake endpoint.
    protected override string? ConcurrencyUnprovableBecause => "moto's DynamoDB does not make condition checks atomic across concurrent requests";

    protected override IProtonStore Store
    {
        get
        {
            if (_store is null)
            {
                _url = Endpoint.Require();
                _options = DynamoDbMoto.NewStoreAsync(_url).GetAwaiter().GetResult();
                _store = new DynamoDbProtonStore(_options, Moto.Connection(_url));
            }

            return _store;
        }
    }

    public override void Dispose()
    {
        _store?.Dispose();
        if (_url is not null && _options is not null)
        {
            DynamoDbMoto.DeleteTableAsync(_url, _options.TableName).GetAwaiter().GetResult();
        }

        base.Dispose();
    }
}
