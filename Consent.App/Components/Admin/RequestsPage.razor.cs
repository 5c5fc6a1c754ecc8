using Consent.Core.Requests;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;
using ValidationException = FluentValidation.ValidationException;

namespace Consent.App.Components.Admin;

/// <summary>
/// The DPO's inbox: the register with its filters and search. The filters start from the address (<c>?status=</c>, <c>type=</c>,
/// <c>due=due-soon|overdue</c>, <c>q=</c>), so the dashboard's counts link to the list they count.
/// </summary>
public partial class RequestsPage
{
    /// <summary>The status filter's value for the pending requests (the default) and for the whole register.</summary>
    public const string PendingStatuses = "pending";

    public const string AllStatuses = "all";
    private const string AllTypes = "";

    [Inject] private RequestRegister Register { get; set; } = default!;
    [Inject] private IOptions<RequestOptions> Options { get; set; } = default!;
    [Inject] private RequestDeadlines Deadlines { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "status")]
    public string? StatusParameter { get; set; }

    [SupplyParameterFromQuery(Name = "type")]
    public string? TypeParameter { get; set; }

    [SupplyParameterFromQuery(Name = "due")]
    public string? DueParameter { get; set; }

    [SupplyParameterFromQuery(Name = "q")]
    public string? SearchParameter { get; set; }

    private MudDataGrid<RequestRow>? grid;
    private string status = PendingStatuses;
    private string type = AllTypes;
    private RequestDue due = RequestDue.All;
    private string? query;
    private string? searched;
    private string? searchError;

    private string DueText(RequestDue value) => value switch
    {
        RequestDue.DueSoon => $"Due within {Options.Value.DueSoonDays} days",
        RequestDue.Overdue => "Overdue",
        _ => "Any due date",
    };

    private static string StatusText(string value) => StatusChoices.FirstOrDefault(c => c.Value == value).Label ?? value;

    private static string TypeText(string value) => RequestVocabulary.ParseType(value) is { } t ? RequestLabels.Type(t) : "All types";

    private static IEnumerable<(string Value, string Label)> StatusChoices =>
    [
        (PendingStatuses, "Pending (open, in progress, extended)"),
        .. RequestVocabulary.Statuses.Select(s => (RequestVocabulary.Name(s), RequestLabels.Status(s))),
        (AllStatuses, "All in the register"),
    ];

    protected override void OnInitialized()
    {
        status = StatusChoices.Any(c => c.Value == StatusParameter) ? StatusParameter! : PendingStatuses;
        type = RequestVocabulary.ParseType(TypeParameter) is { } t ? RequestVocabulary.Name(t) : AllTypes;
        due = DueParameter switch { "due-soon" => RequestDue.DueSoon, "overdue" => RequestDue.Overdue, _ => RequestDue.All };
        query = searched = SearchParameter;
    }

    private RequestQuery Query(int page, int pageSize) => new()
    {
        Statuses = status switch
        {
            PendingStatuses => null,
            AllStatuses => RequestVocabulary.Statuses.Where(s => s != RequestStatus.AwaitingVerification).ToList(),
            _ => [RequestVocabulary.ParseStatus(status)!.Value],
        },
        Type = RequestVocabulary.ParseType(type),
        Due = due,
        Search = searched,
        Page = page,
        PageSize = pageSize,
    };

    private async Task<GridData<RequestRow>> LoadAsync(GridState<RequestRow> state, CancellationToken ct)
    {
        try
        {
            var page = await Register.ListAsync(Query(state.Page, state.PageSize), ct);
            return new GridData<RequestRow> { Items = page.Rows, TotalItems = page.TotalCount };
        }
        catch (ValidationException ex)
        {
            searchError = ex.Errors.First().ErrorMessage;
            return new GridData<RequestRow> { Items = [], TotalItems = 0 };
        }
    }

    private async Task StatusChangedAsync(string value)
    {
        status = value;
        await ReloadAsync();
    }

    private async Task TypeChangedAsync(string value)
    {
        type = value;
        await ReloadAsync();
    }

    private async Task DueChangedAsync(RequestDue value)
    {
        due = value;
        await ReloadAsync();
    }

    private async Task SearchAsync()
    {
        searchError = null;
        if ((query ?? "").Trim().Length > RequestRegister.MaxSearchLength)
        {
            searchError = $"Search with at most {RequestRegister.MaxSearchLength} characters.";
            return;
        }
        searched = query;
        await ReloadAsync();
    }

    private async Task ReloadAsync()
    {
        if (grid is not null) await grid.ReloadServerData();
    }
}
