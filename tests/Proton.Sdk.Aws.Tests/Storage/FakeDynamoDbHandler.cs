using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Proton.Sdk.Aws.Tests.Storage;

/// <summary>
/// An in-memory DynamoDB endpoint (JSON 1.0 protocol) for GetItem, PutItem, DeleteItem, Query, DescribeTable and
/// CreateTable, with the condition expressions the store sends evaluated as DynamoDB does; Query pages by
/// <see cref="PageSize"/>. Requests without an <c>X-Amz-Target</c> (S3, for blobs) go to <see cref="S3"/>.
/// </summary>
internal sealed class FakeDynamoDbHandler : HttpMessageHandler
{
    private readonly object _gate = new();
    private readonly SortedDictionary<(string Pk, string Sk), JsonObject> _items = new(Comparer<(string Pk, string Sk)>.Create((a, b) =>
    {
        var c = string.CompareOrdinal(a.Pk, b.Pk);
        return c != 0 ? c : string.CompareOrdinal(a.Sk, b.Sk);
    }));

    private readonly HttpMessageInvoker _s3;

    public FakeDynamoDbHandler()
    {
        _s3 = new HttpMessageInvoker(S3, disposeHandler: false);
    }

    public FakeS3Handler S3 { get; } = new();

    public int PageSize { get; set; } = 2;

    /// <summary>The DynamoDB operations served, in order (GetItem, PutItem, Query, ...).</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Called before each DynamoDB request is served, with the operation; lets a test change an item "between" two calls.</summary>
    public Action<string>? BeforeServe { get; set; }

    /// <summary>Replaces an item as another writer (or damage) would: the attributes as DynamoDB JSON.</summary>
    public void Set(string pk, string sk, JsonObject attributes)
    {
        attributes["pk"] = new JsonObject { ["S"] = pk };
        attributes["sk"] = new JsonObject { ["S"] = sk };
        lock (_gate)
        {
            _items[(pk, sk)] = attributes;
        }
    }

    public bool TableExists { get; set; } = true;

    /// <summary>The sort key DescribeTable reports (a table made for something else has another).</summary>
    public string SortKeyName { get; set; } = "sk";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Headers.TryGetValues("X-Amz-Target", out var targets))
        {
            return await _s3.SendAsync(request, cancellationToken);
        }

        var operation = targets.First().Split('.')[1];
        Requests.Enqueue(operation);
        BeforeServe?.Invoke(operation);
        var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!.AsObject();
        lock (_gate)
        {
            return operation switch
            {
                "GetItem" => GetItem(body),
                "PutItem" => PutItem(body),
                "DeleteItem" => DeleteItem(body),
                "Query" => Query(body),
                "DescribeTable" => DescribeTable(body),
                "CreateTable" => CreateTable(body),
                _ => Error("UnknownOperationException", operation),
            };
        }
    }

    private static (string, string) KeyOf(JsonNode key) => ((string)key["pk"]!["S"]!, (string)key["sk"]!["S"]!);

    private HttpResponseMessage GetItem(JsonObject body)
        => _items.TryGetValue(KeyOf(body["Key"]!), out var item) ? Ok(new JsonObject { ["Item"] = item.DeepClone() }) : Ok([]);

    private HttpResponseMessage PutItem(JsonObject body)
    {
        var item = body["Item"]!.AsObject();
        var key = KeyOf(item);
        if (!Holds(body, key))
        {
            return Error("ConditionalCheckFailedException", "The conditional request failed");
        }

        _items[key] = (JsonObject)item.DeepClone();
        return Ok([]);
    }

    private HttpResponseMessage DeleteItem(JsonObject body)
    {
        var key = KeyOf(body["Key"]!);
        if (!Holds(body, key))
        {
            return Error("ConditionalCheckFailedException", "The conditional request failed");
        }

        _items.Remove(key);
        return Ok([]);
    }

    /// <summary>The two conditions the store writes with; anything else is a test failure, not a guess.</summary>
    private bool Holds(JsonObject body, (string, string) key)
    {
        _items.TryGetValue(key, out var current);
        return (string?)body["ConditionExpression"] switch
        {
            null => true,
            "attribute_not_exists(pk)" => current is null,
            "revision = :expected" => current?["revision"]?["S"] is { } revision && (string?)revision == (string?)body["ExpressionAttributeValues"]![":expected"]!["S"],
            var other => throw new InvalidOperationException("The fake does not know the condition " + other),
        };
    }

    private HttpResponseMessage Query(JsonObject body)
    {
        var values = body["ExpressionAttributeValues"]!;
        var pk = (string)values[":pk"]!["S"]!;
        var prefix = (string?)body["KeyConditionExpression"] switch
        {
            "pk = :pk" => string.Empty,
            "pk = :pk AND begins_with(sk, :prefix)" => (string)values[":prefix"]!["S"]!,
            var other => throw new InvalidOperationException("The fake does not know the key condition " + other),
        };
        var after = body["ExclusiveStartKey"] is { } start ? KeyOf(start).Item2 : null;
        var matching = _items.Where(i => i.Key.Pk == pk && i.Key.Sk.StartsWith(prefix, StringComparison.Ordinal) && (after is null || string.CompareOrdinal(i.Key.Sk, after) > 0)).ToList();
        var page = matching.Take(PageSize).ToList();
        var response = new JsonObject { ["Items"] = new JsonArray(page.Select(i => (JsonNode)i.Value.DeepClone()).ToArray()), ["Count"] = page.Count };
        if (matching.Count > PageSize)
        {
            response["LastEvaluatedKey"] = new JsonObject { ["pk"] = new JsonObject { ["S"] = pk }, ["sk"] = new JsonObject { ["S"] = page[^1].Key.Sk } };
        }

        return Ok(response);
    }

    private HttpResponseMessage DescribeTable(JsonObject body) => TableExists
        ? Ok(new JsonObject
        {
            ["Table"] = new JsonObject
            {
                ["TableName"] = (string)body["TableName"]!,
                ["TableStatus"] = "ACTIVE",
                ["KeySchema"] = new JsonArray(new JsonObject { ["AttributeName"] = "pk", ["KeyType"] = "HASH" }, new JsonObject { ["AttributeName"] = SortKeyName, ["KeyType"] = "RANGE" }),
            },
        })
        : Error("ResourceNotFoundException", "Requested resource not found");

    private HttpResponseMessage CreateTable(JsonObject body)
    {
        if (TableExists)
        {
            return Error("ResourceInUseException", "Table already exists");
        }

        TableExists = true;
        return Ok(new JsonObject { ["TableDescription"] = new JsonObject { ["TableName"] = (string)body["TableName"]!, ["TableStatus"] = "CREATING" } });
    }

    private static HttpResponseMessage Ok(JsonObject body) => new(HttpStatusCode.OK)
    {
        Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/x-amz-json-1.0"),
    };

    private static HttpResponseMessage Error(string type, string message) => new(HttpStatusCode.BadRequest)
    {
        Content = new StringContent(new JsonObject { ["__type"] = "com.amazonaws.dynamodb.v20120810#" + type, ["message"] = message }.ToJsonString(), Encoding.UTF8, "application/x-amz-json-1.0"),
    };

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _s3.Dispose();
            S3.Dispose();
        }

        base.Dispose(disposing);
    }
}
