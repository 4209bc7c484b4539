"""The base of every hub element: strict fields and readable errors.

Kept apart from :mod:`microcred_vc.model.elements` so the smaller parts
(:mod:`microcred_vc.model.parts`) and the credential share one base without an
import cycle.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError
from pydantic_core import PydanticCustomError

from microcred_vc.errors import ModelError
from microcred_vc.model import vocab
from microcred_vc.model.messages import humanise

_OUTERMOST: ContextVar[bool] = ContextVar("microcred_outermost", default=False)


def _check_country(value: Any) -> str:
    if isinstance(value, str):
        code = vocab.country_alpha2(value.strip())
        if code:
            return code
    raise PydanticCustomError(
        "country", f"must be an ISO 3166-1 country code such as 'IE' or 'DE' (got {value!r})"
    )


CountryCode = Annotated[str, BeforeValidator(_check_country)]


def in_scheme(scheme: vocab.Scheme) -> Any:
    return BeforeValidator(lambda v: v if v is None else scheme.resolve(v))


class Element(BaseModel):
    """Base of every part: strict fields, and readable errors instead of pydantic's."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    __element_labels__: ClassVar[dict[tuple[str, ...], str]] = {}

    def __init__(self, /, **data: Any) -> None:
        # Nested parts are built through their own __init__; only the outermost
        # call translates, so locations stay relative to what the caller passed.
        if _OUTERMOST.get():
            super().__init__(**data)
            return
        token = _OUTERMOST.set(True)
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise _model_error(type(self), exc) from None
        finally:
            _OUTERMOST.reset(token)

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if _OUTERMOST.get():
            return super().model_validate(obj, *args, **kwargs)
        token = _OUTERMOST.set(True)
        try:
            return super().model_validate(obj, *args, **kwargs)
        except ValidationError as exc:
            raise _model_error(cls, exc) from None
        finally:
            _OUTERMOST.reset(token)


def _model_error(model: type[BaseModel], exc: ValidationError) -> ModelError:
    problems = humanise(model, exc)
    message = "; ".join(sentence for _, sentence in problems)
    return ModelError(message, problems=problems, element=problems[0][0] if problems else "")
