"""The replay widget without a browser: buttons, play, controls, and the session it records."""
from __future__ import annotations

import pytest

import microfut_lib as mf


def test_buttons_and_controls_drive_the_session_and_the_actions_replay_it():
    ex = mf.replay_explorer()
    first_png = ex.image.value
    ex.sliders["qty"].value = 3
    ex.sliders["leverage"].value = 10
    ex.contract.value = "nano"
    ex.buttons["long"].click()
    for _ in range(5):
        ex.play.value += 1                        # the Play widget ticking in the browser
    ex.sliders["stop_pct"].value = 1.0            # moves the open position's stop
    ex.buttons["next"].click()
    ex.buttons["close"].click()
    ex.buttons["short"].click()
    ex.buttons["end"].click()
    assert ex.image.value != first_png and ex.error is None
    assert [t.qty for t in ex.session.trades] == [3.0, 3.0]
    assert ex.session.trades[0].qty * ex.session.contract.contract_size == 0.003
    assert "Report card" in ex.report.value and "2 trades" in ex.report.value
    again = mf.replay(ex.actions)
    assert [tuple(t) for t in again.journal.trades] == [tuple(t) for t in ex.session.trades]
    assert again.state.equity_usd == ex.session.equity


def test_a_refused_setting_is_explained_and_changes_nothing():
    ex = mf.replay_explorer()
    ex.buttons["long"].click()
    ex.sliders["leverage"].value = 20
    assert "close the open position" in ex.readout.value
    assert ex.session.position.leverage == 5 and ex.session.leverage == 5
    ex.buttons["close"].click()
    ex.buttons["next"].click()                    # flat again: the slider's 20x now applies
    assert ex.session.leverage == 20 and ("leverage", 20) in ex.actions
    ex.buttons["close"].click()
    assert ex.error == "there is no open position to close"


def test_liquidation_shows_in_the_log_and_the_report():
    ex = mf.replay_explorer()
    ex.sliders["leverage"].value = 50
    ex.sliders["stop_pct"].value = 0.0
    ex.buttons["long"].click()
    while ex.session.position is not None and ex.session.bars_left:
        ex.buttons["next"].click()
    assert ex.session.trades[-1].exit_reason == "liquidation"
    assert "liquidation" in ex.event_log.value and "liquidation 1" in ex.report.value


def test_the_documented_ranges_are_the_controls():
    for control in mf.ReplayPanel.controls:
        text = f"{control.low:g} to {control.high:g}"
        assert text in mf.replay_explorer.__doc__ and text in mf.plot_replay.__doc__


def _level(line) -> float:
    ys = line.get_ydata()
    assert ys[0] == ys[-1]
    return float(ys[0])


def test_while_flat_the_figure_shows_the_position_one_could_open():
    ex = mf.replay_explorer()
    panel, session = ex.panel, ex.session
    low, high = panel.ax.get_ylim()
    ex.sliders["leverage"].value = 20            # liquidation 4.6 % below: inside the price axis
    p = session.preview("long")
    lines = panel.preview_lines
    assert [_level(lines[k]) for k in ("entry", "stop", "liquidation")] == \
        [p.entry_price_usd, p.stop_price_usd, p.liquidation_price_usd]
    assert p.stop_price_usd == pytest.approx(session.price * 0.98)
    assert all(line.get_visible() for line in lines.values()) and low < p.liquidation_price_usd < high
    assert lines["entry"].get_xdata()[0] == session.bar                  # from now on
    assert not any(a.get_visible() for a in panel.edges.values())
    assert "$35.14" in panel.preview_note.get_text()                  # margin 0.01 × 70,279.75 / 20
    ex.sliders["leverage"].value = 5             # liquidation about 20 % below: off the chart
    p = session.preview("long")
    assert p.liquidation_price_usd < low
    assert not lines["liquidation"].get_visible() and panel.edges["liquidation", "below"].get_visible()
    assert not panel.edges["stop", "below"].get_visible()
    assert "(below the chart)" in ex.readout.value and f"{p.liquidation_price_usd:,.2f}" in ex.readout.value


def test_an_open_position_shows_its_own_lines_and_its_stop_slider_moves_them():
    ex = mf.replay_explorer()
    panel = ex.panel
    ex.sliders["leverage"].value = 20
    ex.buttons["long"].click()
    pos = ex.session.position
    assert not any(line.get_visible() for line in panel.preview_lines.values())
    assert not panel.preview_note.get_visible()
    assert (_level(panel.entry), _level(panel.stop), _level(panel.liq)) == \
        (pos.entry_price, pos.stop_price, pos.liq_price)
    before = ex.image.value
    ex.sliders["stop_pct"].value = 1.0
    assert _level(panel.stop) == pytest.approx(pos.entry_price * 0.99) and ex.image.value != before
    ex.buttons["close"].click()
    assert all(line.get_visible() for line in panel.preview_lines.values())


def test_every_setting_of_every_slider_draws_a_different_figure_while_flat():
    """Also where a level is off the chart or the wallet cannot pay: the note still moves."""
    ex = mf.replay_explorer()
    sweeps = {"qty": range(1, 21), "leverage": [*range(1, 51), 5], "stop_pct": [i / 2 for i in range(21)]}
    for name, values in sweeps.items():
        ex.sliders["qty"].value = 20 if name == "leverage" else 1          # at 20 contracts low
        for value in values:                                               # leverage cannot open
            if value == ex.sliders[name].value:
                continue
            before = ex.image.value
            ex.sliders[name].value = value
            assert ex.error is None and ex.image.value != before, (name, value)


def test_the_finished_session_of_the_book_shows_no_preview():
    panel = mf.ReplayPanel(session=mf.replay(mf.SCRIPTED_SESSION).session)      # as plot_replay draws
    assert "the session is finished" in panel.draw()
    hidden = [*panel.preview_lines.values(), *panel.edges.values(), panel.preview_note]
    assert not any(artist.get_visible() for artist in hidden)
    fig = mf.plot_replay()
    assert not any(t.get_visible() and t.get_text().startswith("margin") for t in fig.texts)
