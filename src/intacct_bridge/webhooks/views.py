"""Settings > Webhooks: subscriptions, their delivery logs, redelivery; admins change them."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from intacct_bridge.webhooks import sender, service, tasks
from intacct_bridge.webhooks.forms import SubscriptionForm
from intacct_bridge.webhooks.models import Delivery, Subscription
from intacct_bridge.workspaces.access import workspace_view

SECRET_KEY = "webhook_new_secret"


def _sub(request: HttpRequest, webhook_id: int) -> Subscription:
    sub = Subscription.objects.filter(workspace=request.workspace, pk=webhook_id).first()  # type: ignore[attr-defined]
    if sub is None:
        raise Http404("No such webhook subscription")
    return sub


def _show_secret_once(request: HttpRequest, sub: Subscription, secret: str) -> HttpResponse:
    """Redirect to the subscription's page, which shows ``secret`` this once (a reload does not
    post again, and the secret is gone from the session when the page has shown it)."""
    request.session[SECRET_KEY] = {"id": sub.pk, "secret": secret}
    return redirect("webhooks:detail", slug=sub.workspace.slug, webhook_id=sub.pk)


def _is_admin(request: HttpRequest) -> bool:
    return bool(request.membership.is_admin)  # type: ignore[attr-defined]


@workspace_view()
def subscription_list(request: HttpRequest, slug: str) -> HttpResponse:
    ws = request.workspace  # type: ignore[attr-defined]
    form = SubscriptionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not _is_admin(request):
            return render(request, "webhooks/denied.html", {"ws": ws}, status=403)
        if form.is_valid():
            try:
                created, secret = service.create(
                    ws, form.cleaned_data["url"], form.chosen_events(), form.cleaned_data["description"]
                )
                return _show_secret_once(request, created, secret)
            except service.Refused as exc:
                form.add_error("url" if exc.code == "webhook_url_not_allowed" else "events", exc.message)
        if form.errors:
            status = 422
    subs = list(Subscription.objects.filter(workspace=ws))
    pending = sender.pending_for(subs)
    rows = [(s, pending.get(s.pk, 0)) for s in subs]
    return render(
        request,
        "webhooks/list.html",
        {
            "ws": ws,
            "form": form,
            "rows": rows,
            "disabled": [s for s in subs if not s.enabled and s.disabled_reason],
            "is_admin": _is_admin(request),
        },
        status=status,
    )


@workspace_view()
def subscription_detail(request: HttpRequest, slug: str, webhook_id: int) -> HttpResponse:
    sub = _sub(request, webhook_id)
    deliveries = Delivery.objects.filter(subscription=sub).select_related("event").order_by("-id")[:100]
    shown = request.session.pop(SECRET_KEY, None)
    return render(
        request,
        "webhooks/detail.html",
        {
            "ws": sub.workspace,
            "sub": sub,
            "deliveries": deliveries,
            "is_admin": _is_admin(request),
            "new_secret": shown["secret"] if shown and shown.get("id") == sub.pk else None,
        },
    )


@require_POST
@workspace_view(admin=True)
def toggle(request: HttpRequest, slug: str, webhook_id: int) -> HttpResponse:
    sub = _sub(request, webhook_id)
    service.update(sub, {"enabled": not sub.enabled})
    if sub.enabled:
        tasks.deliver_soon(sub.workspace_id)
    messages.success(request, f"Webhook {sub.url} {'enabled' if sub.enabled else 'disabled'}.")
    return redirect("webhooks:detail", slug=slug, webhook_id=sub.pk)


@require_POST
@workspace_view(admin=True)
def rotate_secret(request: HttpRequest, slug: str, webhook_id: int) -> HttpResponse:
    sub = _sub(request, webhook_id)
    return _show_secret_once(request, sub, service.rotate_secret(sub))


@require_POST
@workspace_view(admin=True)
def delete(request: HttpRequest, slug: str, webhook_id: int) -> HttpResponse:
    sub = _sub(request, webhook_id)
    sub.delete()
    messages.success(request, f"Webhook {sub.url} deleted.")
    return redirect("webhooks:list", slug=slug)


@require_POST
@workspace_view(admin=True)
def redeliver(request: HttpRequest, slug: str, webhook_id: int, delivery_id: int) -> HttpResponse:
    sub = _sub(request, webhook_id)
    delivery = Delivery.objects.filter(subscription=sub, pk=delivery_id).first()
    if delivery is None:
        raise Http404("No such delivery")
    service.redeliver(delivery)
    tasks.deliver_soon(sub.workspace_id)
    messages.success(request, f"Delivery {delivery.pk} queued again.")
    return redirect("webhooks:detail", slug=slug, webhook_id=sub.pk)
