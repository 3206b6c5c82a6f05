// A self-hosted AWS Proton API: the AWS CLI, boto3 and the AWS SDKs call it with --endpoint-url (or
// AWS_ENDPOINT_URL_PROTON) and SigV4 credentials configured here. Offline by default: a file store and the local
// provisioner. Configuration as in any ASP.NET Core host (appsettings.json, then environment variables such as
// Proton__Store=s3 and ProtonApi__Credentials__AKIDEXAMPLE=secret, then the command line); a later source wins.
//   dotnet run --project samples/ProtonApiHost -- --urls http://127.0.0.1:5080 --ProtonApi:Credentials:AKIDEXAMPLE=secret
// Switch "Proton:Store" to "s3" (or "dynamodb") and "Proton:Provisioner" to "cloudformation", with "Proton:Aws" settings,
// to run on AWS or an AWS-compatible endpoint.
using Microsoft.Extensions.Options;
using Proton.Sdk.Api;
using Proton.Sdk.Aws;
using Proton.Sdk.Aws.CloudFormation;
using Proton.Sdk.Aws.Storage;
using Proton.Sdk.Platform;
using Proton.Sdk.Storage;
using ProtonApiHost;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddProtonSdk(builder.Configuration.GetSection("Proton"))
    .AddProtonAws(builder.Configuration.GetSection("Proton:Aws"));
builder.Services.AddProtonApi(builder.Configuration.GetSection("ProtonApi"));
builder.Services.AddSingleton<ITemplateSourceResolver, S3TemplateSourceResolver>();

// "Proton:Store" = "dynamodb": the DynamoDB store (table and blob bucket from Proton:Aws:DynamoDbStore).
builder.Services.AddOptions<DynamoDbStoreOptions>().Bind(builder.Configuration.GetSection("Proton:Aws:DynamoDbStore"));
builder.Services.AddKeyedSingleton<IProtonStore>("dynamodb", (sp, _) => new DynamoDbProtonStore(
    sp.GetRequiredService<IOptions<DynamoDbStoreOptions>>().Value, sp.GetRequiredService<IOptions<AwsConnectionOptions>>().Value));

var app = builder.Build();
app.MapProtonApi();

var api = app.Services.GetRequiredService<IOptions<ProtonApiOptions>>().Value;
if (api.Credentials.Count == 0)
{
    app.Logger.LogWarning("No credentials are configured (ProtonApi:Credentials:<AccessKeyId>=<secret>): every request will be refused.");
}

// Deployments a previous run left in progress (a crash, a kill) are completed from the provisioner's real state.
await app.Services.GetRequiredService<ProtonPlatform>().ReconcileAsync();
await app.RunAsync();
