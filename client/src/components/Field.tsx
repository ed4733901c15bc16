import { AFFILIATION_LABELS, AFFILIATIONS, type Affiliation } from '@accord/shared'
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react'

export function TextField({ label, hint, ...input }: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string }) {
  const id = useId()
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-describedby={hint ? `${id}-hint` : undefined} {...input} />
      {hint && (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      )}
    </div>
  )
}

export function SelectField({
  label,
  children,
  ...select
}: SelectHTMLAttributes<HTMLSelectElement> & { label: string; children: ReactNode }) {
  const id = useId()
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} {...select}>
        {children}
      </select>
    </div>
  )
}

/** An error announced to screen readers as soon as it appears. */
export function FormError({ message }: { message: string | null }) {
  return (
    <p className="form-error" role="alert" hidden={!message}>
      {message}
    </p>
  )
}

export function AffiliationField({ defaultValue }: { defaultValue: Affiliation }) {
  return (
    <SelectField label="Affiliation" name="affiliation" defaultValue={defaultValue}>
      {AFFILIATIONS.map((affiliation) => (
        <option key={affiliation} value={affiliation}>
          {AFFILIATION_LABELS[affiliation]}
        </option>
      ))}
    </SelectField>
  )
}
