// Blazor Server replaces a pre-rendered page with its first interactive render, and that resets any
// checkbox the visitor flipped before the connection was up (dotnet/aspnetcore#42561). This script
// remembers those flips and replays them on the interactive render, so what the visitor set is what
// the form posts. Without JavaScript the boxes are plain form fields and need none of this.
(() => {
    const selector = 'form[method=post] input[type=checkbox][name]';
    const boxes = () => Array.from(document.querySelectorAll(selector));
    const wanted = new Map();
    const remember = () => boxes().forEach((box, i) => {
        if (box.checked !== box.defaultChecked) wanted.set(i, box.checked); else wanted.delete(i);
    });
    const onChange = e => { if (e.target.matches(selector)) remember(); };
    const replay = () => {
        if (!document.querySelector('[data-interactive=true]')) return;
        observer.disconnect();
        document.removeEventListener('change', onChange, true);
        boxes().forEach((box, i) => { if (wanted.has(i) && box.checked !== wanted.get(i)) box.click(); });
    };
    const observer = new MutationObserver(replay);
    remember();
    document.addEventListener('change', onChange, true);
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-interactive'] });
})();
